#include "run_files.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <unistd.h>
#include <vector>

namespace QemuSstTest {
namespace {

std::string trim(const std::string& s) {
    const size_t b = s.find_first_not_of(' ');
    const size_t e = s.find_last_not_of(' ');
    return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::vector<std::string> csvCells(const std::string& line) {
    std::vector<std::string> cells;
    std::stringstream in(line);
    for (std::string cell; std::getline(in, cell, ',');) {
        cells.push_back(trim(cell));
    }
    return cells;
}

}  // namespace

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string csvField(const std::string& csv, const std::string& component, const std::string& stat,
                     const std::string& subid, const std::string& field) {
    std::istringstream in(csv);
    std::string header;
    std::getline(in, header);
    const std::vector<std::string> columns = csvCells(header);
    for (std::string line; std::getline(in, line);) {
        const std::vector<std::string> cells = csvCells(line);
        if (cells.size() >= 3 && cells[0] == component && cells[1] == stat && cells[2] == subid) {
            for (size_t i = 0; i < columns.size() && i < cells.size(); i++) {
                if (columns[i] == field) {
                    return cells[i];
                }
            }
        }
    }
    return "<missing " + component + "." + stat + (subid.empty() ? "" : "." + subid) + "." + field + ">";
}

long long csvCount(const std::string& csv, const std::string& component, const std::string& stat,
                   const std::string& subid) {
    const std::string v = csvField(csv, component, stat, subid, "Count.u64");
    char* end;
    const long long n = std::strtoll(v.c_str(), &end, 10);
    return v.empty() || *end != '\0' ? -1 : n;
}

std::vector<std::string> csvSubIds(const std::string& csv, const std::string& component, const std::string& stat) {
    std::vector<std::string> subids;
    std::istringstream in(csv);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
        const std::vector<std::string> cells = csvCells(line);
        if (cells.size() >= 3 && cells[0] == component && cells[1] == stat) {
            subids.push_back(cells[2]);
        }
    }
    return subids;
}

bool fileExists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

void removeTestDir(const std::string& dir) {
    if (dir.empty()) {
        return;
    }
    const char* keep = std::getenv("QEMU_SST_KEEP_TEST_DIRS");
    if (keep && std::string(keep) == "1") {
        std::printf("QEMU_SST_KEEP_TEST_DIRS=1: this test's files are in %s\n", dir.c_str());
        return;
    }
    std::error_code ignored;  // a test's own failure is what matters, not a leftover file
    std::filesystem::remove_all(dir, ignored);
}

}  // namespace QemuSstTest
