#ifndef QEMU_SST_ENGINE_FATAL_EXIT_H
#define QEMU_SST_ENGINE_FATAL_EXIT_H

#include <cstdarg>
#include <string>

namespace SST::Core {

// Prints "FATAL: <message>" on stderr, plus which component was being constructed if any,
// flushes stdio and open statistic outputs, and exits with exit_code.  Components are not
// destroyed: a fatal error can come from anywhere, including their own destructors' callees.
[[noreturn]] void fatalExit(int exit_code, const std::string& message);

// vsnprintf into a std::string.
std::string formatV(const char* format, va_list args);

}  // namespace SST::Core

#endif
