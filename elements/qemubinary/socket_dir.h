// The directory of a run's device sockets.  Normally one only this run can use (mode 0700, unique
// name), removed with everything in it when the owner goes away, so concurrent simulations never
// collide.  Or a fixed one the user names, so that a QEMU outliving one simulation finds the next
// one at the same socket paths; then a lock keeps two simulations from using it at once.
#ifndef QEMU_SST_QEMUBINARY_SOCKET_DIR_H
#define QEMU_SST_QEMUBINARY_SOCKET_DIR_H

#include <string>
#include <vector>

namespace QemuSst {

class SocketDir {
public:
    SocketDir() = default;
    SocketDir(const SocketDir&) = delete;
    SocketDir& operator=(const SocketDir&) = delete;
    ~SocketDir() { remove(); }

    // Creates <parent>/qemu-sst-XXXXXX; parent "" means $TMPDIR or /tmp.  Returns an error or "".
    std::string create(const std::string& parent);
    // Uses `dir` (made with mode 0700 if missing), locked against other simulations until remove().
    // Returns an error (for instance: another simulation holds it) or "".
    std::string useFixed(const std::string& dir);
    const std::string& path() const { return path_; }
    // The path of socket `name`; in a fixed directory, a socket a killed run left there is removed.
    std::string file(const std::string& name);
    // QEMU has connected to socket `path`, which nobody else may use.  In a private directory the
    // socket is removed at once, and the directory with the last one, so that a run killed later
    // (even by SIGKILL) leaves nothing behind.  A fixed directory keeps its sockets' names for the
    // next simulation.
    void connected(const std::string& path);
    // Writes file `name` (atomically: a reader sees all of it or none) and removes it with the
    // sockets.  Returns an error or "".
    std::string publish(const std::string& name, const std::string& bytes);
    // Private directory: removes it all.  Fixed one: removes the sockets handed out, unlocks.
    void remove();

private:
    std::string path_;
    bool fixed_ = false;
    int lock_fd_ = -1;
    std::vector<std::string> files_;  // fixed: sockets handed out; private: those not yet connected
};

}  // namespace QemuSst

#endif
