/*
 * One end of a channel (see include/qemu-sst/channel_protocol.h and shm_ring.h), of any payload
 * family (mmio_protocol.h, virtio_protocol.h).
 *
 * Plain C on purpose: the simulator's bridge, the QEMU stand-in used by tests and QEMU's own
 * sst-device all link this one implementation, so the handshake, the shared-memory rings and the
 * spin-then-sleep wait behave identically on every side.
 *
 * The socket is AF_UNIX/SOCK_SEQPACKET: one frame per packet, so a truncated or oversized frame is
 * visible as such.  After the handshake frames go through the rings and the socket carries only
 * one-byte doorbell packets (and EOF when the peer goes away).
 */
#ifndef QEMU_SST_MMIO_ENDPOINT_H
#define QEMU_SST_MMIO_ENDPOINT_H

#include "qemu-sst/shm_ring.h"

#ifdef __cplusplus
extern "C" {
#endif

enum sst_ep_role { SST_EP_SIMULATOR = 0, SST_EP_QEMU = 1 };

struct sst_mmio_endpoint {
    int sock;
    enum sst_ep_role role;
    const struct sst_frame_family *family; /* the payload family it carries besides base frames */
    void *shm;                             /* mapped region once the handshake is done, else NULL */
    uint64_t shm_size;
    struct sst_ring tx; /* ring this side produces into */
    struct sst_ring rx; /* ring this side consumes */
    uint32_t tx_seq;
    uint32_t rx_seq;     /* next sequence number expected from the peer */
    uint32_t spin_polls; /* at most this many empty polls before sleeping (0: never spin) */
    uint32_t spin_ns;    /* adaptive spin budget in wall time (see sst_ep_wait) */
    int closed;          /* peer hung up or the channel failed; see error */
    int hung_up;         /* closed by the peer's orderly hang-up, not by an error */
    int socket_readable; /* a wait saw the socket readable: doorbell, socket frame or hang-up */
    char error[SST_MMIO_ERROR_TEXT_LEN];
};

/* Results of the receive calls. */
#define SST_EP_FRAME 1     /* *frame holds a frame */
#define SST_EP_NOTHING 0   /* nothing yet (poll) or the timeout passed (wait) */
#define SST_EP_CLOSED (-1) /* the channel is dead; ep->error says why */

#define SST_EP_DEFAULT_SPIN_POLLS 20000u
/* A spin longer than a wake-up costs (~20-45 us on our hosts) cannot save more than it. */
#define SST_EP_SPIN_NS_MAX 50000u
#define SST_EP_SPIN_NS_MIN 1000u

/* family: sst_mmio_family(), sst_virtio_family(), ...: the kind of channel ep is one end of. */
void sst_ep_init(struct sst_mmio_endpoint *ep, int sock, enum sst_ep_role role, const struct sst_frame_family *family);
void sst_ep_close(struct sst_mmio_endpoint *ep);

/* Creates, binds and listens on a SOCK_SEQPACKET socket at path.  Returns the fd or -1 (errno). */
int sst_ep_listen(const char *path);
/*
 * Accepts one connection, waiting at most timeout_ms.  Returns the fd, or -1 with errno ETIMEDOUT,
 * or EINTR when a signal handler ran during the wait (so a caller can act on the signal).
 */
int sst_ep_accept(int listen_fd, int timeout_ms);
/* Connects to path, retrying until timeout_ms has passed.  Returns the fd or -1 (errno). */
int sst_ep_connect(const char *path, int timeout_ms);

/* Simulator side of the handshake, in two steps so the caller can vet the HELLO in between. */
int sst_ep_recv_hello(struct sst_mmio_endpoint *ep, struct sst_mmio_hello *hello, int timeout_ms);
int sst_ep_accept_hello(struct sst_mmio_endpoint *ep, const struct sst_mmio_hello_ack *ack, uint32_t ring_capacity,
                        int timeout_ms);
/* Refuses a HELLO: sends an ERROR frame with the reason and closes. */
void sst_ep_refuse(struct sst_mmio_endpoint *ep, uint32_t code, const char *reason);

/* QEMU side of the handshake: HELLO, then HELLO_ACK into *ack, SHM_OFFER, SHM_READY. */
int sst_ep_client_handshake(struct sst_mmio_endpoint *ep, const struct sst_mmio_hello *hello,
                            struct sst_mmio_hello_ack *ack, int timeout_ms);

/*
 * Guest RAM, right after a handshake whose HELLO_ACK kept SST_MMIO_CAP_GUEST_RAM (and before any
 * other frame).  QEMU offers the descriptor of its RAM; the simulator receives it, checks that the
 * descriptor holds ram->size bytes and takes ownership of *fd.  0, or -1 with ep->error set.
 */
int sst_ep_offer_guest_ram(struct sst_mmio_endpoint *ep, const struct sst_mmio_guest_ram *ram, int fd);
int sst_ep_recv_guest_ram(struct sst_mmio_endpoint *ep, struct sst_mmio_guest_ram *ram, int *fd, int timeout_ms);

/* Sends one frame (through the ring once mapped, else the socket).  0, or -1 when closed. */
int sst_ep_send(struct sst_mmio_endpoint *ep, uint32_t type, const void *payload);

/*
 * Takes a frame if one is there; never blocks.  SST_EP_FRAME, SST_EP_NOTHING or SST_EP_CLOSED.
 * `frame` is a frame struct of the endpoint's kind (struct sst_mmio_frame for an MMIO channel,
 * struct sst_virtio_frame for a virtio one) of frame_size bytes; sst_ep_poll passes its size.
 */
int sst_ep_poll_into(struct sst_mmio_endpoint *ep, void *frame, size_t frame_size);
#define sst_ep_poll(ep, frame) sst_ep_poll_into((ep), (frame), sizeof(*(frame)))

/*
 * Waits for the next frame: spins, then sleeps (on a futex in the ring, or on the socket for a
 * ring-less channel).  timeout_ms < 0 waits forever.  SST_EP_FRAME, SST_EP_NOTHING (timeout) or
 * SST_EP_CLOSED.
 *
 * Spinning pays only while the peer has a core of its own, and for no longer than a wake-up costs.
 * So a wait spins only while the machine's runnable tasks fit on the CPUs this thread may use
 * (sampled every few milliseconds, not per wait), for at most ep->spin_polls polls and ep->spin_ns
 * of wall time: a wait that ends within SST_EP_SPIN_NS_MAX doubles spin_ns, a longer one halves it
 * (between SST_EP_SPIN_NS_MIN and SST_EP_SPIN_NS_MAX).  None of this changes what is delivered, or
 * in which order: only how fast.
 */
int sst_ep_wait_into(struct sst_mmio_endpoint *ep, void *frame, size_t frame_size, int timeout_ms);
#define sst_ep_wait(ep, frame, timeout_ms) sst_ep_wait_into((ep), (frame), sizeof(*(frame)), (timeout_ms))

/*
 * Waits until any of n endpoints has a frame or is closed: spins across all of them (as sst_ep_wait
 * does, with the largest of their spin_ns and at most spin_polls polls), then sleeps on all their
 * doorbells at once (one endpoint with a ring: on its futex).  Returns the index of the ready
 * endpoint (poll it), or -1 with errno ETIMEDOUT when timeout_ms passed (timeout_ms < 0: forever),
 * or with errno EINTR when a signal handler ran while it slept: the caller may act on the signal,
 * or wait again.  Closed endpoints count as ready.
 */
int sst_ep_wait_any(struct sst_mmio_endpoint *const *eps, int n, unsigned spin_polls, int timeout_ms);

/*
 * Sleeps without spinning until ep's ring holds a frame, the peer hung up or timeout_ns passed;
 * takes nothing (poll afterwards).  For a thread that would spin for an answer when spinning
 * cannot pay.  Returns at once for a closed or ring-less endpoint.
 */
void sst_ep_sleep(struct sst_mmio_endpoint *ep, int64_t timeout_ns);

/*
 * 1 when a thread waiting for its peer should spin now: the runnable tasks fit on the CPUs it may
 * use.  The same sample the waits use, so calling it often costs no system call.
 */
int sst_ep_spinning_pays(void);

#ifdef __cplusplus
}
#endif

#endif /* QEMU_SST_MMIO_ENDPOINT_H */
