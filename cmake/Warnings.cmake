# phonecwmp_warnings(<target>): the project's warning set, errors when
# PHONECWMP_WERROR is on (the default, and what CI uses).
function(phonecwmp_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                                           -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
                                           -Wunused -Woverloaded-virtual
                                           -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
  if(PHONECWMP_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
