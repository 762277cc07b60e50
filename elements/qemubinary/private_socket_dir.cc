#include "private_socket_dir.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

namespace QemuSst {

std::string PrivateSocketDir::create(const std::string& parent) {
    std::string base = parent;
    if (base.empty()) {
        const char* tmp = std::getenv("TMPDIR");
        base = tmp && *tmp ? tmp : "/tmp";
    }
    std::vector<char> templ(base.begin(), base.end());
    const std::string suffix = "/qemu-sst-XXXXXX";
    templ.insert(templ.end(), suffix.begin(), suffix.end());
    templ.push_back('\0');
    if (!mkdtemp(templ.data())) {  // mkdtemp creates it with mode 0700
        return "cannot create a private socket directory under '" + base + "': " + std::strerror(errno);
    }
    path_ = templ.data();
    return "";
}

void PrivateSocketDir::remove() {
    if (!path_.empty()) {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
        path_.clear();
    }
}

}  // namespace QemuSst
