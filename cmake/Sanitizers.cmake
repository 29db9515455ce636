# phonecwmp_sanitize(<target>): build a target with AddressSanitizer and
# UndefinedBehaviorSanitizer. Used for the test executables that feed hostile
# input to parsers, so that an out-of-bounds access fails the test run.
set(PHONECWMP_SANITIZER_FLAGS -fsanitize=address,undefined -fno-omit-frame-pointer
                              -fno-sanitize-recover=all)

function(phonecwmp_sanitize target)
  target_compile_options(${target} PRIVATE ${PHONECWMP_SANITIZER_FLAGS})
  target_link_options(${target} PRIVATE ${PHONECWMP_SANITIZER_FLAGS})
endfunction()
