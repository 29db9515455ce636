# Every dependency comes from a Debian 12 package; packaging/debian-packages.txt
# lists them and packaging/install-build-deps.sh installs what is missing.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

# gSOAP: the runtime must be compiled with exactly the flags pkg-config gives
# (WITH_IPV6, WITH_DOM): a mismatch changes struct soap's layout and corrupts
# memory silently.
pkg_check_modules(GSOAP REQUIRED IMPORTED_TARGET gsoap++)
find_program(SOAPCPP2 soapcpp2 REQUIRED)
set(GSOAP_IMPORT_DIR /usr/share/gsoap/import CACHE PATH "gSOAP import folder")

find_package(CURL REQUIRED)
# c-ares: the agent's DNS resolver, driven by the io_context (libcurl is handed
# its answers and never resolves by itself).
pkg_check_modules(CARES REQUIRED IMPORTED_TARGET libcares)
# PCRE2: matches data-model pattern facets against values a controller sends;
# unlike std::regex it keeps backtracking state off the stack and takes match
# and heap limits, so a hostile value cannot exhaust the stack or the CPU.
pkg_check_modules(PCRE2 REQUIRED IMPORTED_TARGET libpcre2-8)
find_package(OpenSSL REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(pugixml REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(spdlog REQUIRED)
find_package(fmt REQUIRED)

if(PHONECWMP_BUILD_TESTS)
  find_package(GTest REQUIRED)
  find_package(benchmark REQUIRED)
endif()
