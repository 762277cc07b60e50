/* SPDX-License-Identifier: GPL-2.0 OR Apache-2.0 */
/*
 * User-space interface of virtio-sst.ko (/dev/sstN), shared by the driver and guest/linux/apps.
 *
 * Requests and responses are the 4096-byte SSTRequest / SSTResponse of <qemu-sst/virtio_sst.h>.
 *
 * write(fd, &req, sizeof(struct SSTRequest))
 *     Submits one request.  Other lengths, or a request failing sst_request_check(): -EINVAL.
 *     The driver overwrites req.request_id with a unique non-zero id (64-bit counter; after a
 *     wrap-around 0 and ids still in flight are skipped); SST_IOCTL_LAST_REQUEST_ID returns it.
 *     Each file descriptor has ONE request slot: a write while the previous request's response
 *     has not been read yet fails with -EBUSY (open the device several times, or use several
 *     processes, to have several requests in flight).  When the request virtqueue is full the
 *     write blocks (O_NONBLOCK: -EAGAIN).  -ENODEV once the device is gone.
 *
 * read(fd, &resp, sizeof(struct SSTResponse))
 *     Returns the response of this fd's request and frees the slot.  Blocks until it arrives
 *     (O_NONBLOCK: -EAGAIN).  Nothing submitted: -ENODATA.
 *     No response within the module parameter timeout_ms (default 5000, counted from the write):
 *     -ETIMEDOUT and the slot is freed (a late response is discarded).  Device removed while
 *     waiting: -ENODEV.  A signal: -EINTR/restart, the request stays pending (read again).
 *
 * read(fd, &ev, sizeof(struct SSTEvent))
 *     On an fd that registered an event buffer (SST_IOCTL_REGISTER_EVENT_BUF): the oldest event
 *     in it.  Blocks until there is one (O_NONBLOCK: -EAGAIN); -ENODEV once the device is gone
 *     and the buffer is empty.  Not registered: -EINVAL.
 * read() of any other length: -EINVAL.
 *
 * poll()
 *     POLLIN|POLLRDNORM   this fd's response has arrived, or its event buffer holds an event
 *                         (read() of that size will not block)
 *     POLLPRI|POLLRDBAND  at least one event is queued on the device (SST_IOCTL_READ_EVENT)
 *     POLLOUT|POLLWRNORM  this fd's slot is free and the request queue has room
 *     POLLERR|POLLHUP     the device has been removed
 *     (An fd without an event buffer gets POLLIN for its response only.)
 *
 * Zero-copy interface (what libsst uses):
 *
 * mmap(NULL, SST_MAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
 *     Maps this fd's buffer pair: an SSTRequest at offset 0 and an SSTResponse at
 *     SST_MAP_RESPONSE_OFFSET.  Each fd has its own pair (mapping it again maps the same pages);
 *     other sizes, offsets or a private mapping: -EINVAL.
 * ioctl(fd, SST_IOCTL_SUBMIT)
 *     Submits the request in the mapped page through the fd's one slot, as write() would, but
 *     without a user-memory access (the driver copies the bytes the request's type uses out of
 *     the page; later changes to the page do not reach the device).  The driver writes the request
 *     id into the page's request_id.  The response is written straight into the response page:
 *     do not rely on it until the request has completed.
 *     -EINVAL: nothing mapped, or the request fails sst_request_check().  -EBUSY: the slot is
 *     taken, or a request that timed out is still owned by the device.
 * ioctl(fd, SST_IOCTL_WAIT)
 *     Waits for the mapped request's response, which the device has then written into the
 *     mapped response page; frees the slot.  Errors as for read(); -EINVAL if the slot holds a
 *     write()'s request (read() that one).
 * ioctl(fd, SST_IOCTL_CALL)
 *     SUBMIT then WAIT in one system call (it waits even with O_NONBLOCK).  Interrupted by a
 *     signal while waiting it fails with -EINTR (never restarted: that would submit again) and
 *     the request stays pending: WAIT for it.
 * read() and poll() work for a mapped request too.  Compared with write()+read() this saves the
 * user-memory accesses and, under QEMU's TCG, the TLB flush that each of them causes.
 *
 * Buffers (SST_REQ_BUFFERS, <qemu-sst/virtio_sst.h>): the device works on the app's own memory.
 *     Submitted with write() only (SUBMIT/CALL: -EINVAL, since the app could rewrite a mapped request
 *     while the device reads it).  The driver checks the request (sst_request_check: op, lengths,
 *     access), pins every page of every buffer (those the device writes with FOLL_WRITE: a buffer
 *     the app may not write gives -EFAULT, so does an unmapped one) and gives the device segment
 *     tables of guest-physical extents.  The pages stay pinned until the device has answered and
 *     the response is read, or, after a timeout, a killed process or the device's removal, until
 *     the device is done with them (SST_IOCTL_GET_STATS: pinned_pages).
 *
 * Events, two ways:
 *   - The device-wide ring: every SSTEvent is queued in a bounded per-DEVICE ring
 *     (SST_EVENT_RING_SIZE; when full the oldest is dropped and counted in events_dropped).  Any
 *     fd of the device may take them with SST_IOCTL_READ_EVENT; each is delivered once.
 *   - Per-fd event buffers (the seed's sequence): SST_IOCTL_REGISTER_EVENT_BUF gives the fd a
 *     buffer of its own that receives a copy of every event from then on (each registered fd sees
 *     all of them), raises POLLIN and is read with read(fd, &ev, sizeof(struct SSTEvent)).  When
 *     full, its oldest event is dropped and counted in the buffer's `dropped`.
 *       struct sst_event_buf eb = { .entries = 64 };
 *       ioctl(fd, SST_IOCTL_REGISTER_EVENT_BUF, &eb);
 *       struct pollfd pfd = { .fd = fd, .events = POLLIN };
 *       poll(&pfd, 1, -1);
 *       read(fd, &ev, sizeof(ev));
 *
 * Batches: SST_IOCTL_BATCH submits up to SST_BATCH_MAX requests with one system call and waits
 * for all of them (struct sst_batch below).
 *
 * Module parameters (/sys/module/virtio_sst/parameters/): timeout_ms; test_mode=1 at insmod runs
 * the driver's self-test on each device as it is probed; writing 1 to run_tests runs it on every
 * device now, and reading run_tests gives the last result ("passed N/N", "FAILED ...", or "not
 * run"), as does /sys/class/sst/sstN/self_test per device.  Each test also logs a kernel line.
 */
#ifndef SST_UAPI_H
#define SST_UAPI_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/ioctl.h>
#else
#include <linux/types.h>
#include <sys/ioctl.h>
#endif
#include <qemu-sst/virtio_sst.h>

/* SSTRequest.flags bit 0 (defined by virtio_sst.h): for SST_REQ_COMPUTE, ask the device for an
 * SST_EVENT_COMPLETION event (SSTEvent.request_id = the request's id) besides the response. */
#ifndef SST_REQ_FLAG_NOTIFY
#define SST_REQ_FLAG_NOTIFY (1u << 0)
#endif

#define SST_EVENT_RING_SIZE 64

struct sst_stats {
	__u64 requests;       /* requests submitted to the device */
	__u64 responses;      /* responses received from the device */
	__u64 events;         /* events received from the device */
	__u64 errors;         /* rejected writes, non-OK statuses, malformed completions */
	__u64 timeouts;       /* reads that gave up after timeout_ms */
	__u64 events_dropped; /* events lost because the ring was full */
	__u64 in_flight;      /* requests the device still owns (includes timed-out ones) */
	__u64 pinned_pages;   /* app pages pinned for SST_REQ_BUFFERS requests, all devices */
};

struct sst_info {
	__u32 version;       /* config space: protocol version */
	__u32 device_id;     /* config space: index among the simulator's devices */
	__u64 features;      /* config space: VIRTIO_SST_F_* offered */
	__u64 negotiated;    /* VIRTIO_SST_F_* bits negotiated by the driver (bits 0-23) */
	__u32 num_queues;    /* config space */
	__u32 max_data_size; /* config space */
	__u32 minor;         /* N of /dev/sstN */
	__u32 timeout_ms;    /* current timeout_ms module parameter */
	__u32 vq_size;       /* request virtqueue size (descriptors) */
	__u32 event_ring_size;
	struct sst_stats stats;
};

#define SST_IOCTL_MAGIC 'S'
#define SST_IOCTL_GET_INFO _IOR(SST_IOCTL_MAGIC, 1, struct sst_info)
#define SST_IOCTL_GET_STATS _IOR(SST_IOCTL_MAGIC, 2, struct sst_stats)
/* Non-blocking: copies out one queued event, or fails with -EAGAIN when there is none. */
#define SST_IOCTL_READ_EVENT _IOR(SST_IOCTL_MAGIC, 3, struct SSTEvent)
/* request_id assigned to this fd's most recent submission, write() or SUBMIT (0 if none yet). */
#define SST_IOCTL_LAST_REQUEST_ID _IOR(SST_IOCTL_MAGIC, 4, __u64)
#define SST_IOCTL_SUBMIT _IO(SST_IOCTL_MAGIC, 5)
#define SST_IOCTL_WAIT _IO(SST_IOCTL_MAGIC, 6)
#define SST_IOCTL_CALL _IO(SST_IOCTL_MAGIC, 7)

/*
 * An advisory lock on the device, for a program that changes device-wide state (RESET, CONFIGURE,
 * timeout_ms) and expects what it set, such as sst-test: LOCK waits until no other open file holds
 * it (O_NONBLOCK: -EAGAIN; a signal: -EINTR) and is held until UNLOCK or the file is closed, also
 * when its process dies.  Requests from other files are served as usual: only programs that LOCK
 * take turns.
 */
#define SST_IOCTL_LOCK _IO(SST_IOCTL_MAGIC, 8)
#define SST_IOCTL_UNLOCK _IO(SST_IOCTL_MAGIC, 9)

/* SST_IOCTL_REGISTER_EVENT_BUF: this fd receives every event from now on (see above). */
#define SST_EVENT_BUF_MAX 4096
struct sst_event_buf {
	__u32 entries; /* in: events the buffer holds, 1..SST_EVENT_BUF_MAX; 0 = SST_EVENT_RING_SIZE */
	__u32 flags;   /* in: 0 */
};
/* -EBUSY: already registered.  -EINVAL: a bad size or flags. */
#define SST_IOCTL_REGISTER_EVENT_BUF _IOW(SST_IOCTL_MAGIC, 10, struct sst_event_buf)
/* Events this fd's buffer dropped because it was full. */
#define SST_IOCTL_EVENT_BUF_DROPPED _IOR(SST_IOCTL_MAGIC, 11, __u64)

/*
 * SST_IOCTL_BATCH: submits `count` requests (an array of struct SSTRequest at `requests`) with one
 * kick per request queue, waits for all of them, and writes their responses to the array at
 * `responses` (response i answers request i).  Independent of the fd's slot, and allowed
 * alongside it.  Each request is checked as write() checks it; SST_REQ_BUFFERS is refused.  The
 * requests go on the calling CPU's request queue.  responses[i] gets the header and the payload
 * bytes its type fills in (sst_response_used_size); the rest of it is left as it was.  Returns 0
 * when every request was answered (look at each response's status), or:
 * -EINVAL (count 0 or > SST_BATCH_MAX, flags, an invalid request: `completed` says which),
 * -EFAULT, -ETIMEDOUT (timeout_ms passed; `completed` counts the answered ones), -EINTR (a
 * signal; the requests still pending are dropped when they complete), -ENODEV.
 */
#define SST_BATCH_MAX 256
struct sst_batch {
	__u64 requests;  /* user address of count SSTRequests */
	__u64 responses; /* user address of count SSTResponses */
	__u32 count;
	__u32 flags;     /* 0 */
	__u32 completed; /* out: responses written (or, on -EINVAL, the index of the bad request) */
	__u32 reserved;
};
#define SST_IOCTL_BATCH _IOWR(SST_IOCTL_MAGIC, 12, struct sst_batch)

/*
 * Mapped batches, the fastest way (the driver pins nothing and makes no user access):
 * mmap(NULL, 2 * slots * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, SST_MAP_BATCH_OFFSET)
 *     Maps this fd's batch area, 1 <= slots <= SST_BATCH_MAX: request slot i at i * 4096, response
 *     slot i at (slots + i) * 4096, zeroed at first.  Mapping it again needs the same size
 *     (-EINVAL otherwise).
 * ioctl(fd, SST_IOCTL_BATCH_MAPPED, count)
 *     SST_IOCTL_BATCH for the requests in slots 0..count-1 (count <= slots), the answers in the
 *     response slots.  First every response slot 0..count-1 gets request_id 0 and status
 *     SST_STATUS_TIMEOUT, so after an error the slots with request_id 0 were not answered; an
 *     invalid request gets -EINVAL, its slot SST_STATUS_INVALID, and nothing is submitted.  One
 *     batch at a time per fd: a second caller waits.  No area mapped, or a bad count: -EINVAL.
 */
#define SST_MAP_BATCH_OFFSET (1ul << 20)
#define SST_IOCTL_BATCH_MAPPED _IO(SST_IOCTL_MAGIC, 13)

#define SST_MAP_RESPONSE_OFFSET 4096
#define SST_MAP_SIZE 8192

#endif /* SST_UAPI_H */
