# phonecwmp_parser_library(<name> SOURCES <files...> [SANITIZE] [FUZZ])
# A library of code that parses network input, in up to three builds: the
# normal one, one with ASan/UBSan for the unit tests that feed it hostile
# input, and one instrumented for libFuzzer (clang only). Headers are
# included by the library's folder name ("sip/via.hpp"); the library sees
# support/, Boost headers and fmt only.
#
# In the whole-project sanitizer build (PHONECWMP_SANITIZE) the normal build
# is already sanitized and instrumented for libFuzzer, so a SANITIZE or FUZZ
# build is the normal library of the same sources, not a second compile.
function(phonecwmp_parser_library name)
  cmake_parse_arguments(ARG "SANITIZE;FUZZ" "" "SOURCES" ${ARGN})
  string(SHA1 sources_key "${CMAKE_CURRENT_SOURCE_DIR};${ARG_SOURCES}")
  if(PHONECWMP_SANITIZE AND (ARG_SANITIZE OR ARG_FUZZ))
    get_property(normal GLOBAL PROPERTY phonecwmp_parser_library_${sources_key})
    if(NOT normal)
      message(FATAL_ERROR "${name}: declare the normal library of these sources first")
    endif()
    add_library(${name} INTERFACE)
    target_link_libraries(${name} INTERFACE ${normal})
    if(ARG_FUZZ)
      target_link_options(${name} INTERFACE -fsanitize=fuzzer)
    endif()
    return()
  endif()
  if(NOT ARG_SANITIZE AND NOT ARG_FUZZ)
    set_property(GLOBAL PROPERTY phonecwmp_parser_library_${sources_key} ${name})
  endif()
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/..)
  target_link_libraries(${name} PUBLIC phonecwmp::support Boost::headers fmt::fmt)
  target_compile_definitions(${name} PUBLIC BOOST_ASIO_NO_DEPRECATED)
  phonecwmp_warnings(${name})
  if(ARG_SANITIZE)
    phonecwmp_sanitize(${name})
    target_link_options(${name} INTERFACE ${PHONECWMP_SANITIZER_FLAGS})
  endif()
  if(ARG_FUZZ)
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer-no-link,address,undefined
                                           -fno-omit-frame-pointer)
    target_link_options(${name} INTERFACE -fsanitize=fuzzer,address,undefined)
  endif()
endfunction()

# True in PHONECWMP_HAVE_LIBFUZZER when the compiler is a clang that links
# -fsanitize=fuzzer (Debian's clang does; GCC has no libFuzzer).
function(phonecwmp_check_libfuzzer)
  # libFuzzer needs ASan's runtime, which cannot be linked beside TSan's.
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang" OR PHONECWMP_TSAN)
    set(PHONECWMP_HAVE_LIBFUZZER FALSE PARENT_SCOPE)
    return()
  endif()
  include(CheckCXXSourceCompiles)
  set(CMAKE_REQUIRED_FLAGS -fsanitize=fuzzer)
  check_cxx_source_compiles(
    "#include <cstddef>
     #include <cstdint>
     extern \"C\" int LLVMFuzzerTestOneInput(const std::uint8_t*, std::size_t) { return 0; }"
    PHONECWMP_HAVE_LIBFUZZER)
  set(PHONECWMP_HAVE_LIBFUZZER ${PHONECWMP_HAVE_LIBFUZZER} PARENT_SCOPE)
endfunction()

# phonecwmp_add_fuzzer(<name> <source> <fuzz library>): a libFuzzer binary in
# the tests folder, e.g. `tests/sip_message_fuzzer -max_total_time=60 DIR`.
function(phonecwmp_add_fuzzer name source library)
  add_executable(${name} ${source})
  target_link_libraries(${name} PRIVATE ${library})
  target_compile_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
  phonecwmp_warnings(${name})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
endfunction()
