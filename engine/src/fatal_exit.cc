#include "fatal_exit.h"

#include "engine.h"

#include "sst/core/simulation.h"

#include <cstdio>
#include <cstdlib>

namespace SST::Core {

std::string formatV(const char* format, va_list args) {
    va_list copy;
    va_copy(copy, args);
    const int length = std::vsnprintf(nullptr, 0, format, copy);
    va_end(copy);
    if (length <= 0)
        return std::string();
    std::string text(static_cast<size_t>(length) + 1, '\0');
    std::vsnprintf(text.data(), text.size(), format, args);
    text.pop_back();
    return text;
}

namespace {

[[noreturn]] void flushAndExit(int exit_code) {
    if (Engine* engine = Engine::current())
        engine->flushOutputs();
    std::fflush(nullptr);
    std::exit(exit_code);
}

}  // namespace

void fatalExit(int exit_code, const std::string& message) {
    std::string text = "FATAL: " + message;
    if (text.empty() || text.back() != '\n')
        text += '\n';
    if (Engine* engine = Engine::current(); engine && engine->constructing())
        text += "FATAL: while constructing " + engine->constructing()->describe() + "\n";
    std::fflush(stdout);  // keep stdout's earlier lines ahead of the message
    std::fputs(text.c_str(), stderr);
    flushAndExit(exit_code);
}

}  // namespace SST::Core

namespace SST {

void SST_Exit(int exit_code) { Core::flushAndExit(exit_code); }

}  // namespace SST
