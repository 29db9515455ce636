// Boost.Asio's and Boost.Beast's implementation, compiled once here instead of
// in every file that includes them (BOOST_ASIO_SEPARATE_COMPILATION and
// BOOST_BEAST_SEPARATE_COMPILATION are set for everything that links
// phonecwmp_acssim): each file using them compiles much faster, and their
// internals stay out of the project's own translation units.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
