# Sanitizer builds.
#
# phonecwmp_sanitize(<target>): build one target with AddressSanitizer and
# UndefinedBehaviorSanitizer. Used for the test executables that feed hostile
# input to parsers, so that an out-of-bounds access fails every test run, also
# the normal GCC build's.
#
# PHONECWMP_SANITIZE=ON builds the whole project (libraries, binaries, tests)
# with ASan+UBSan, and with clang also -fsanitize=fuzzer-no-link so that the
# same build links every fuzz target against the project's own libraries.
#
# PHONECWMP_TSAN=ON builds with ThreadSanitizer; `make test` builds and runs
# only acs-sim and its tests there (the agent has one thread by design).
option(PHONECWMP_SANITIZE "Build everything with AddressSanitizer and UBSan" OFF)
option(PHONECWMP_TSAN "Build with ThreadSanitizer (acs-sim and its tests)" OFF)
if(PHONECWMP_SANITIZE AND PHONECWMP_TSAN)
  message(FATAL_ERROR "PHONECWMP_SANITIZE and PHONECWMP_TSAN need separate build folders")
endif()

# The sanitizer builds join `make test`, so their cold build time counts:
# clang compiles a Beast-heavy file under ASan in about 120 s at -O2 -g and
# 18 s at -O0 with line tables only, which is all a sanitizer's stack trace
# needs. The tests, mostly waiting on sockets, barely notice.
if((PHONECWMP_SANITIZE OR PHONECWMP_TSAN) AND CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  set(CMAKE_CXX_FLAGS_DEBUG "-O0 -gline-tables-only" CACHE STRING
      "Flags of the Debug build (sanitizer builds: unoptimised, line tables)" FORCE)
endif()

set(PHONECWMP_SANITIZER_FLAGS -fsanitize=address,undefined -fno-omit-frame-pointer
                              -fno-sanitize-recover=all)

function(phonecwmp_sanitize target)
  # ASan cannot be combined with TSan; the TSan build checks threads only.
  if(PHONECWMP_TSAN)
    return()
  endif()
  target_compile_options(${target} PRIVATE ${PHONECWMP_SANITIZER_FLAGS})
  target_link_options(${target} PRIVATE ${PHONECWMP_SANITIZER_FLAGS})
endfunction()

# Called once from the top-level CMakeLists.txt, after
# phonecwmp_check_libfuzzer(), so that every target below gets the flags.
macro(phonecwmp_apply_project_sanitizers)
  if(PHONECWMP_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined
                        -fno-omit-frame-pointer)
    add_link_options(-fsanitize=address,undefined)
    if(PHONECWMP_HAVE_LIBFUZZER)
      add_compile_options(-fsanitize=fuzzer-no-link)
    endif()
  elseif(PHONECWMP_TSAN)
    add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
    add_link_options(-fsanitize=thread)
  endif()
endmacro()
