// Reading what a whole run leaves behind: its output and its statistics CSV; removing a test's
// files.  Shared by the integration and qemu tiers.
#ifndef QEMU_SST_TESTS_RUN_FILES_H
#define QEMU_SST_TESTS_RUN_FILES_H

#include <string>
#include <vector>

namespace QemuSstTest {

std::string readFile(const std::string& path);  // "" if it cannot be read
bool fileExists(const std::string& path);

inline bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// How many times `needle` occurs in `haystack` (not overlapping).
inline size_t occurrences(const std::string& haystack, const std::string& needle) {
    size_t n = 0;
    for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + needle.size())) {
        n++;
    }
    return n;
}

// Value of one field of one statistic in a CSV written by sst.statOutputCSV ("<missing ...>" if
// absent), and the same as a number (-1 if absent or not a number).
std::string csvField(const std::string& csv, const std::string& component, const std::string& stat,
                     const std::string& subid, const std::string& field);
long long csvCount(const std::string& csv, const std::string& component, const std::string& stat,
                   const std::string& subid = "");

// The sub-ids a statistic has in such a CSV (e.g. the device names of the bridge's "reads"), in order.
std::vector<std::string> csvSubIds(const std::string& csv, const std::string& component, const std::string& stat);

// Removes a test's scratch directory, passed or failed, unless QEMU_SST_KEEP_TEST_DIRS=1: then
// it stays and its path is printed.
void removeTestDir(const std::string& dir);

}  // namespace QemuSstTest

#endif
