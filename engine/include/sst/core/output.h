#ifndef SST_CORE_OUTPUT_H
#define SST_CORE_OUTPUT_H

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace SST {

#define CALL_INFO __LINE__, __FILE__, __FUNCTION__
#define CALL_INFO_LONG __LINE__, __FILE__, __PRETTY_FUNCTION__

// printf-style output with a per-object prefix and verbosity filter.  Prefix tokens: @f file,
// @l line, @p function, @t current simulated time (ps), @r/@i/@x rank and thread (empty: one
// rank, one thread) and @R/@I/@X (0 / 0 / [0:0]).
class Output {
public:
    enum output_location_t { NONE, STDOUT, STDERR, FILE };

    static constexpr uint32_t PrintAll = std::numeric_limits<uint32_t>::max();

    // FILE writes to localoutputfilename, else the run's --debug-file, else "sst_output".
    Output(const std::string& prefix, uint32_t verbose_level, uint32_t verbose_mask, output_location_t location,
           const std::string& localoutputfilename = "");
    Output();  // prints nothing until init()
    ~Output();
    Output(const Output&) = default;
    Output& operator=(const Output&) = default;

    void init(const std::string& prefix, uint32_t verbose_level, uint32_t verbose_mask, output_location_t location,
              const std::string& localoutputfilename = "");

    // With CALL_INFO the prefix is prepended; without it the text is printed as is.
    void output(uint32_t line, const char* file, const char* func, const char* format, ...) const
        __attribute__((format(printf, 5, 6)));
    void output(const char* format, ...) const __attribute__((format(printf, 2, 3)));

    // Printed when output_level <= the object's level and every bit of output_bits is in its mask.
    void verbose(uint32_t line, const char* file, const char* func, uint32_t output_level, uint32_t output_bits,
                 const char* format, ...) const __attribute__((format(printf, 7, 8)));
    void verbosePrefix(const char* tempPrefix, uint32_t line, const char* file, const char* func, uint32_t output_level,
                       uint32_t output_bits, const char* format, ...) const __attribute__((format(printf, 8, 9)));

    // Same filter as verbose(); always compiled in (SST only compiles it with debug builds).
    void debug(uint32_t line, const char* file, const char* func, uint32_t output_level, uint32_t output_bits,
               const char* format, ...) const __attribute__((format(printf, 7, 8)));
    void debugPrefix(const char* tempPrefix, uint32_t line, const char* file, const char* func, uint32_t output_level,
                     uint32_t output_bits, const char* format, ...) const __attribute__((format(printf, 8, 9)));

    // Prints "FATAL: <prefix><message>" to stderr (and to the object's file if its location is FILE),
    // flushes what is open, and exits the process with exit_code.
    [[noreturn]] void fatal(uint32_t line, const char* file, const char* func, int exit_code, const char* format,
                            ...) const __attribute__((format(printf, 6, 7)));

    uint32_t getVerboseLevel() const { return verbose_level_; }
    void setVerboseLevel(uint32_t level) { verbose_level_ = level; }
    uint32_t getVerboseMask() const { return verbose_mask_; }
    void setVerboseMask(uint32_t mask) { verbose_mask_ = mask; }
    const std::string& getPrefix() const { return prefix_; }
    void setPrefix(const std::string& prefix) { prefix_ = prefix; }
    output_location_t getOutputLocation() const { return location_; }
    // FILE opens the run's --debug-file (or "sst_output"), as init() does without a file name.
    void setOutputLocation(output_location_t location);
    void flush() const;

    // The core's own Output (empty prefix, stdout), for code with no Output of its own.
    static Output& getDefaultObject();

private:
    bool enabled(uint32_t output_level, uint32_t output_bits) const;
    std::string expandPrefix(const std::string& prefix, uint32_t line, const char* file, const char* func) const;
    void write(const std::string& prefix, const char* format, va_list args) const;
    // write() with the verbose() filter: the one body behind verbose, verbosePrefix and debug.
    void writeIfEnabled(uint32_t output_level, uint32_t output_bits, const std::string& prefix, uint32_t line,
                        const char* file, const char* func, const char* format, va_list args) const;
    std::FILE* stream() const;

    bool initialized_ = false;
    std::string prefix_;
    uint32_t verbose_level_ = 0;
    uint32_t verbose_mask_ = 0;
    output_location_t location_ = NONE;
    std::shared_ptr<std::FILE> file_;  // shared by copies, closed with the last one
};

// Traces a function's entry and exit, for debugging: construct one at the top of the function with
// CALL_INFO_LONG.  It prints "<function> enter function" now and "<function> exit function" when it
// goes out of scope, and output() prints lines between them, all on stdout after "(<sim time>): "
// and indented two columns per enclosing traced function.  Nothing is printed unless the
// environment variable SST_TRACEFUNCTION_ACTIVATE is set when the first TraceFunction is made.
// SST_TRACEFUNCTION_INDENT_MARKER draws a marker at each indent level: its first character, or
// '|' when it is set but empty.  Like SST's, this is a debugging aid, not a stable interface.
class TraceFunction {
public:
    TraceFunction(uint32_t line, const char* file, const char* func, bool print_sim_info = true, bool activate = true);
    ~TraceFunction();
    TraceFunction(const TraceFunction&) = delete;
    TraceFunction& operator=(const TraceFunction&) = delete;

    // Each line of the formatted text is printed indented one level inside the function.
    void output(const char* format, ...) const __attribute__((format(printf, 2, 3)));

private:
    // The indent for the current depth, with a marker under each enclosing function.
    static std::string indent();

    Output out_;
    uint32_t line_;
    std::string file_;
    std::string function_;
    bool active_;
};

}  // namespace SST

#endif
