/*
 * serial-pingpong: the stock-virtio comparison.  N write+read round trips of a small message on a
 * virtio-serial port whose host side echoes everything back.
 *   usage: serial-pingpong [-p /dev/vportNpM] [-n roundtrips] [-s message_size]
 * Without -p the first /dev/vport*p* is used.  Prints
 *   stock_virtio_roundtrips_per_s: X round-trips/s
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    const char *path = NULL;
    char msg[4096], back[4096];
    long n = 10000, errors = 0;
    int size = 64, opt, fd;
    glob_t g;
    double t0, secs;

    while ((opt = getopt(argc, argv, "p:n:s:")) != -1) {
        switch (opt) {
        case 'p': path = optarg; break;
        case 'n': n = atol(optarg); break;
        case 's': size = atoi(optarg); break;
        default: fprintf(stderr, "usage: %s [-p port] [-n roundtrips] [-s size]\n", argv[0]); return 2;
        }
    }
    if (size < 1 || size > (int)sizeof(msg) || n < 1) {
        fprintf(stderr, "bad arguments\n");
        return 2;
    }
    memset(&g, 0, sizeof(g));
    if (!path) {
        if (glob("/dev/vport*p*", 0, NULL, &g) != 0 || g.gl_pathc == 0) {
            fprintf(stderr, "no /dev/vport*p* virtio-serial port\n");
            return 1;
        }
        path = g.gl_pathv[0];
    }
    fd = open(path, O_RDWR);
    if (fd < 0) {
        fprintf(stderr, "open %s: %s\n", path, strerror(errno));
        return 1;
    }
    t0 = now_s();
    for (long i = 0; i < n; i++) {
        int got = 0;
        ssize_t r;

        for (int k = 0; k < size; k++)
            msg[k] = (char)('a' + (i + k) % 26);
        for (int off = 0; off < size; off += (int)r) {
            r = write(fd, msg + off, (size_t)(size - off));
            if (r <= 0) {
                if (r < 0 && errno == EINTR) {
                    r = 0;
                    continue;
                }
                fprintf(stderr, "write: %s\n", strerror(errno));
                return 1;
            }
        }
        while (got < size) {
            r = read(fd, back + got, (size_t)(size - got));
            if (r <= 0) {
                if (r < 0 && errno == EINTR)
                    continue;
                fprintf(stderr, "read: %s\n", r ? strerror(errno) : "EOF (is the host side connected?)");
                return 1;
            }
            got += (int)r;
        }
        if (memcmp(msg, back, (size_t)size))
            errors++;
    }
    secs = now_s() - t0;
    printf("port: %s, round trips: %ld of %d bytes, mismatches: %ld\n", path, n, size, errors);
    printf("stock_virtio_roundtrips_per_s: %.1f round-trips/s\n", secs > 0 ? (double)n / secs : 0.0);
    close(fd);
    return errors ? 1 : 0;
}
