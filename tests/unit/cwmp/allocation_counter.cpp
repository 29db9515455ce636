// Replacement global operator new/delete that keep count of live bytes.
#include "allocation_counter.hpp"

#include <algorithm>
#include <cstdlib>
#include <new>

namespace {

// Every block carries its size in front of it, so that delete can count it
// off. The header keeps the alignment operator new guarantees.
constexpr std::size_t kHeader = alignof(std::max_align_t);

std::size_t g_live = 0;
std::size_t g_peak = 0;
std::size_t g_count = 0;

void* allocate(std::size_t size) {
    void* block = std::malloc(size + kHeader);
    if (block == nullptr) {
        return nullptr;
    }
    *static_cast<std::size_t*>(block) = size;
    g_live += size;
    g_peak = std::max(g_peak, g_live);
    ++g_count;
    return static_cast<char*>(block) + kHeader;
}

void release(void* pointer) noexcept {
    if (pointer == nullptr) {
        return;
    }
    void* block = static_cast<char*>(pointer) - kHeader;
    g_live -= *static_cast<std::size_t*>(block);
    std::free(block);
}

void* allocate_or_throw(std::size_t size) {
    if (void* pointer = allocate(size)) {
        return pointer;
    }
    throw std::bad_alloc();
}

}  // namespace

void* operator new(std::size_t size) {
    return allocate_or_throw(size);
}
void* operator new[](std::size_t size) {
    return allocate_or_throw(size);
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    return allocate(size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
    return allocate(size);
}
void operator delete(void* pointer) noexcept {
    release(pointer);
}
void operator delete[](void* pointer) noexcept {
    release(pointer);
}
void operator delete(void* pointer, std::size_t) noexcept {
    release(pointer);
}
void operator delete[](void* pointer, std::size_t) noexcept {
    release(pointer);
}
void operator delete(void* pointer, const std::nothrow_t&) noexcept {
    release(pointer);
}
void operator delete[](void* pointer, const std::nothrow_t&) noexcept {
    release(pointer);
}

namespace cwmp::test {

AllocationPeak::AllocationPeak() : baseline_(g_live), allocations_at_start_(g_count) {
    g_peak = g_live;
}

AllocationPeak::~AllocationPeak() = default;

std::size_t AllocationPeak::peak_bytes() const {
    return g_peak - baseline_;
}

std::size_t AllocationPeak::allocations() const {
    return g_count - allocations_at_start_;
}

}  // namespace cwmp::test
