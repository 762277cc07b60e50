#include "socket_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace QemuSst {

std::string SocketDir::create(const std::string& parent) {
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
    fixed_ = false;
    return "";
}

std::string SocketDir::useFixed(const std::string& dir) {
    if (mkdir(dir.c_str(), 0700) < 0 && errno != EEXIST) {
        return "cannot create the socket directory '" + dir + "': " + std::strerror(errno);
    }
    struct stat st {};
    if (stat(dir.c_str(), &st) < 0 || !S_ISDIR(st.st_mode)) {
        return "socket directory '" + dir + "' is not a directory";
    }
    const std::string lock = dir + "/.qemu-sst.lock";
    lock_fd_ = open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock_fd_ < 0) {
        return "cannot open '" + lock + "': " + std::strerror(errno);
    }
    if (flock(lock_fd_, LOCK_EX | LOCK_NB) < 0) {
        close(lock_fd_);
        lock_fd_ = -1;
        return "another simulation is using the socket directory '" + dir + "'";
    }
    path_ = dir;
    fixed_ = true;
    return "";
}

std::string SocketDir::file(const std::string& name) {
    const std::string path = path_ + "/" + name;
    if (fixed_) {
        struct stat st {};
        if (lstat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) {
            unlink(path.c_str());  // ours by the lock: a run that was killed left it
        }
    }
    files_.push_back(path);
    return path;
}

std::string SocketDir::publish(const std::string& name, const std::string& bytes) {
    const std::string path = path_ + "/" + name, tmp = path + ".tmp";
    const int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        return "cannot write '" + tmp + "': " + std::strerror(errno);
    }
    const bool written = write(fd, bytes.data(), bytes.size()) == ssize_t(bytes.size());
    close(fd);
    if (!written || rename(tmp.c_str(), path.c_str()) < 0) {
        unlink(tmp.c_str());
        return "cannot write '" + path + "': " + std::strerror(errno);
    }
    files_.push_back(path);
    return "";
}

void SocketDir::connected(const std::string& path) {
    if (fixed_ || path_.empty()) {
        return;
    }
    unlink(path.c_str());
    files_.erase(std::remove(files_.begin(), files_.end(), path), files_.end());
    if (files_.empty()) {
        remove();
    }
}

void SocketDir::remove() {
    if (path_.empty()) {
        return;
    }
    if (fixed_) {
        for (const std::string& f : files_) {
            unlink(f.c_str());
        }
        close(lock_fd_);
        lock_fd_ = -1;
    } else {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    files_.clear();
    path_.clear();
}

}  // namespace QemuSst
