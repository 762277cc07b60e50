// A directory only this run can use (mode 0700, unique name), for the device sockets; removed with
// everything in it when the owner goes away, so concurrent simulations never collide.
#ifndef QEMU_SST_QEMUBINARY_PRIVATE_SOCKET_DIR_H
#define QEMU_SST_QEMUBINARY_PRIVATE_SOCKET_DIR_H

#include <string>

namespace QemuSst {

class PrivateSocketDir {
public:
    PrivateSocketDir() = default;
    PrivateSocketDir(const PrivateSocketDir&) = delete;
    PrivateSocketDir& operator=(const PrivateSocketDir&) = delete;
    ~PrivateSocketDir() { remove(); }

    // Creates <parent>/qemu-sst-XXXXXX; parent "" means $TMPDIR or /tmp.  Returns an error or "".
    std::string create(const std::string& parent);
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }
    void remove();

private:
    std::string path_;
};

}  // namespace QemuSst

#endif
