// Counts what the replaced global operator new allocates, so that a test can
// bound the memory a call takes. Linked only into the normal (not sanitized)
// test executable, which it gives a replacement operator new/delete.
#pragma once

#include <cstddef>

namespace cwmp::test {

// Measures the peak of the bytes live through operator new between its
// construction and peak_bytes(), above what was live at construction.
// Single-threaded use only.
class AllocationPeak {
public:
    AllocationPeak();
    ~AllocationPeak();
    AllocationPeak(const AllocationPeak&) = delete;
    AllocationPeak& operator=(const AllocationPeak&) = delete;

    std::size_t peak_bytes() const;
    std::size_t allocations() const;

private:
    std::size_t baseline_;
    std::size_t allocations_at_start_;
};

}  // namespace cwmp::test
