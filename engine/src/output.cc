#include "sst/core/output.h"

#include "engine.h"
#include "fatal_exit.h"

#include <cerrno>
#include <cinttypes>
#include <cstdlib>
#include <cstring>
#include <map>

namespace SST {

namespace {

// Output objects that name the same file share one stream, so they do not truncate each other.
std::shared_ptr<std::FILE> openShared(const std::string& path) {
    static std::map<std::string, std::weak_ptr<std::FILE>> open_files;
    if (auto existing = open_files[path].lock())
        return existing;
    std::FILE* raw = std::fopen(path.c_str(), "w");
    if (raw == nullptr)
        Core::fatalExit(1, "Output: cannot open '" + path + "' for writing: " + std::strerror(errno));
    std::shared_ptr<std::FILE> file(raw, [](std::FILE* f) { std::fclose(f); });
    open_files[path] = file;
    return file;
}

}  // namespace

Output::Output() = default;

Output::Output(const std::string& prefix, uint32_t verbose_level, uint32_t verbose_mask, output_location_t location,
               const std::string& localoutputfilename) {
    init(prefix, verbose_level, verbose_mask, location, localoutputfilename);
}

Output::~Output() = default;

void Output::init(const std::string& prefix, uint32_t verbose_level, uint32_t verbose_mask, output_location_t location,
                  const std::string& localoutputfilename) {
    prefix_ = prefix;
    verbose_level_ = verbose_level;
    verbose_mask_ = verbose_mask;
    location_ = location;
    file_.reset();
    if (location == FILE) {
        std::string path = localoutputfilename;
        if (path.empty() && Core::Engine::current())
            path = Core::Engine::current()->options().debug_file;
        file_ = openShared(path.empty() ? "sst_output" : path);
    }
    initialized_ = true;
}

std::FILE* Output::stream() const {
    if (!initialized_)
        return nullptr;
    switch (location_) {
    case STDOUT: return stdout;
    case STDERR: return stderr;
    case FILE: return file_.get();
    case NONE: break;
    }
    return nullptr;
}

bool Output::enabled(uint32_t output_level, uint32_t output_bits) const {
    return (output_bits & ~verbose_mask_) == 0 && output_level <= verbose_level_;
}

std::string Output::expandPrefix(const std::string& prefix, uint32_t line, const char* file, const char* func) const {
    std::string out;
    for (size_t i = 0; i < prefix.size(); ++i) {
        if (prefix[i] != '@' || i + 1 == prefix.size()) {
            out += prefix[i];
            continue;
        }
        switch (prefix[++i]) {
        case 'f': out += file ? file : ""; break;
        case 'l': out += std::to_string(line); break;
        case 'p': out += func ? func : ""; break;
        case 't': out += std::to_string(Core::Engine::current() ? Core::Engine::current()->now() : 0); break;
        case 'r':  // one rank, one thread: these expand to nothing
        case 'i':
        case 'x': break;
        case 'R':
        case 'I': out += '0'; break;
        case 'X': out += "[0:0]"; break;
        default: out += '@'; out += prefix[i];
        }
    }
    return out;
}

void Output::write(const std::string& prefix, const char* format, va_list args) const {
    std::FILE* out = stream();
    if (out == nullptr)
        return;
    const std::string text = prefix + Core::formatV(format, args);
    std::fputs(text.c_str(), out);
}

void Output::writeIfEnabled(uint32_t output_level, uint32_t output_bits, const std::string& prefix, uint32_t line,
                            const char* file, const char* func, const char* format, va_list args) const {
    if (enabled(output_level, output_bits))
        write(expandPrefix(prefix, line, file, func), format, args);
}

// va_start has to run in the variadic function itself, so each one below expands this rather
// than repeating the start / use / end sequence.
#define WITH_VA_LIST(args, last_named_param, use_args) \
    do {                                               \
        va_list args;                                  \
        va_start(args, last_named_param);              \
        use_args;                                      \
        va_end(args);                                  \
    } while (0)

void Output::output(uint32_t line, const char* file, const char* func, const char* format, ...) const {
    WITH_VA_LIST(args, format, write(expandPrefix(prefix_, line, file, func), format, args));
}

void Output::output(const char* format, ...) const { WITH_VA_LIST(args, format, write("", format, args)); }

void Output::verbose(uint32_t line, const char* file, const char* func, uint32_t output_level, uint32_t output_bits,
                     const char* format, ...) const {
    WITH_VA_LIST(args, format, writeIfEnabled(output_level, output_bits, prefix_, line, file, func, format, args));
}

void Output::debugPrefix(const char* tempPrefix, uint32_t line, const char* file, const char* func,
                         uint32_t output_level, uint32_t output_bits, const char* format, ...) const {
    WITH_VA_LIST(args, format, writeIfEnabled(output_level, output_bits, tempPrefix, line, file, func, format, args));
}

void Output::verbosePrefix(const char* tempPrefix, uint32_t line, const char* file, const char* func,
                           uint32_t output_level, uint32_t output_bits, const char* format, ...) const {
    WITH_VA_LIST(args, format, writeIfEnabled(output_level, output_bits, tempPrefix, line, file, func, format, args));
}

void Output::debug(uint32_t line, const char* file, const char* func, uint32_t output_level, uint32_t output_bits,
                   const char* format, ...) const {
    WITH_VA_LIST(args, format, writeIfEnabled(output_level, output_bits, prefix_, line, file, func, format, args));
}

void Output::fatal(uint32_t line, const char* file, const char* func, int exit_code, const char* format, ...) const {
    std::string message;
    WITH_VA_LIST(args, format, message = expandPrefix(prefix_, line, file, func) + Core::formatV(format, args));
    // Also leave the message in this object's log file.  Not on stdout: fatalExit prints it on
    // stderr, and where both go to one terminal or file the line would appear twice.
    if (std::FILE* out = stream(); out != nullptr && location_ == FILE)
        std::fprintf(out, "FATAL: %s", message.c_str());
    Core::fatalExit(exit_code, message);
}

#undef WITH_VA_LIST

void Output::flush() const {
    if (std::FILE* out = stream())
        std::fflush(out);
}

void Output::setOutputLocation(output_location_t location) {
    if (location == location_)
        return;
    init(prefix_, verbose_level_, verbose_mask_, location);
}

Output& Output::getDefaultObject() {
    static Output output("", 0, 0, STDOUT);
    return output;
}

namespace {

// Read once, as SST reads them when the core starts.
bool traceActive() {
    static const bool active = std::getenv("SST_TRACEFUNCTION_ACTIVATE") != nullptr;
    return active;
}

char traceIndentMarker() {
    static const char marker = [] {
        const char* var = std::getenv("SST_TRACEFUNCTION_INDENT_MARKER");
        if (var == nullptr)
            return ' ';
        return *var != '\0' ? *var : '|';
    }();
    return marker;
}

// Traced functions open on this thread: the depth of the next one.
thread_local int trace_depth = 0;

}  // namespace

TraceFunction::TraceFunction(uint32_t line, const char* file, const char* func, bool print_sim_info, bool activate)
    : line_(line), file_(file ? file : ""), function_(func ? func : ""), active_(activate && traceActive()) {
    if (!active_)
        return;
    // One rank and one thread here, so SST's "@x " rank tag never applies.
    const bool in_simulation = print_sim_info && Core::Engine::current() != nullptr;
    out_.init(in_simulation ? "(@t): " : "", 0, 0, Output::STDOUT);
    out_.output(line_, file_.c_str(), function_.c_str(), "%s%s enter function\n", indent().c_str(), function_.c_str());
    std::fflush(stdout);  // a debugging aid: keep the trace in step with a crash
    ++trace_depth;
}

TraceFunction::~TraceFunction() {
    if (!active_)
        return;
    --trace_depth;
    out_.output(line_, file_.c_str(), function_.c_str(), "%s%s exit function\n", indent().c_str(), function_.c_str());
    std::fflush(stdout);
}

std::string TraceFunction::indent() {
    std::string text;
    for (int level = 0; level < trace_depth; ++level) {
        text += traceIndentMarker();
        text += ' ';
    }
    return text;
}

void TraceFunction::output(const char* format, ...) const {
    if (!active_)
        return;
    std::string text;
    va_list args;
    va_start(args, format);
    text = Core::formatV(format, args);
    va_end(args);

    // Line by line, so that each gets the prefix and the indent.  A final newline ends the last
    // line rather than starting an empty one; text without one is printed unterminated.
    const std::string lead = indent();
    size_t start = 0;
    while (start < text.size()) {
        const size_t end = text.find('\n', start);
        const std::string piece = text.substr(start, end == std::string::npos ? std::string::npos : end - start + 1);
        out_.output(line_, file_.c_str(), function_.c_str(), "%s%s", lead.c_str(), piece.c_str());
        if (end == std::string::npos)
            break;
        start = end + 1;
    }
    std::fflush(stdout);
}

}  // namespace SST
