#include "guest_ram.h"

#include <cerrno>
#include <cstring>
#include <sys/mman.h>
#include <unistd.h>

namespace QemuSst {

GuestRam::~GuestRam() {
    if (bytes_) {
        munmap(bytes_, size_);
    }
}

std::string GuestRam::map(int fd, uint64_t base, uint64_t size) {
    if (bytes_) {
        close(fd);
        return "guest RAM is mapped already";
    }
    void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    const int err = errno;
    close(fd);  // the mapping keeps the memory
    if (p == MAP_FAILED) {
        return std::string("cannot map guest RAM: ") + std::strerror(err);
    }
    bytes_ = static_cast<uint8_t*>(p);
    base_ = base;
    size_ = size;
    return "";
}

}  // namespace QemuSst
