// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-sst: character device /dev/sstN for the SST co-simulation virtio device
 * (VIRTIO_ID_SST, virtio-mmio).  The user-space interface is described in sst_uapi.h.
 *
 * Transport: each request is one descriptor chain on a request queue (out: the SSTRequest,
 * in: an SSTResponse buffer); the device completes chains asynchronously, possibly out of order,
 * and the token (the request context) finds the waiter.  With VIRTIO_SST_F_MQ there is one request
 * queue per CPU (up to the device's num_request_queues), each with its own lock, and a request goes
 * on the queue of the CPU that submits it.  The event queue holds pre-posted SSTEvent buffers.  The
 * response queue is unused.
 *
 * Lifetimes: a request context (struct sst_ctx) is reference counted; the device holds one
 * reference while it owns the buffers, the file descriptor's slot holds another, and a reader
 * waiting without the fd mutex a third.  A timed-out read drops the slot's reference only, so
 * the buffers stay valid until the device completes them or remove() reclaims them.
 * struct sst_dev is reference counted too (probe + each open file), so files outliving the
 * device get -ENODEV instead of a use-after-free.
 */
#define pr_fmt(fmt) "virtio-sst: " fmt

#include <linux/cdev.h>
#include <linux/completion.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "sst_uapi.h"

#define SST_MAX_DEVICES 32
#define SST_EVENT_BUFS 16

static unsigned int timeout_ms = 5000;
module_param(timeout_ms, uint, 0644);
MODULE_PARM_DESC(timeout_ms, "Response timeout in milliseconds (default 5000)");

static unsigned long long first_request_id = 1;
module_param(first_request_id, ullong, 0444);
MODULE_PARM_DESC(first_request_id, "First request id (for testing the 64-bit wrap-around)");

/* Events waiting to be read, oldest first; when full, a new one pushes the oldest out. */
struct sst_event_ring {
	struct SSTEvent *slot;
	unsigned int size, head, count;
};

/* Appends ev; true if the oldest event was dropped to make room.  Under the device's evt_lock. */
static bool sst_event_ring_push(struct sst_event_ring *r, const struct SSTEvent *ev)
{
	bool dropped = r->count == r->size;

	if (dropped) {
		r->head = (r->head + 1) % r->size;
		r->count--;
	}
	r->slot[(r->head + r->count) % r->size] = *ev;
	r->count++;
	return dropped;
}

/* Takes the oldest event into *ev; false if there is none.  Under the device's evt_lock. */
static bool sst_event_ring_pop(struct sst_event_ring *r, struct SSTEvent *ev)
{
	if (!r->count)
		return false;
	*ev = r->slot[r->head];
	r->head = (r->head + 1) % r->size;
	r->count--;
	return true;
}

/* A request queue and the requests the device owns on it. */
struct sst_reqq {
	struct virtqueue *vq;
	spinlock_t lock; /* vq and inflight; taken in IRQ context */
	struct list_head inflight;
	u64 submitted;   /* requests queued here (sysfs queue_requests), under lock */
};

struct sst_dev {
	struct kref ref;
	struct virtio_device *vdev;
	struct virtqueue *resp_vq, *evt_vq;
	struct sst_reqq reqq[VIRTIO_SST_MAX_REQUEST_QUEUES];
	unsigned int nreqq;
	unsigned int minor;
	struct cdev *cdev;
	struct device *dev;

	bool dead; /* set with every request queue's lock held: no submission after it */
	spinlock_t id_lock; /* next_id, id_wrapped; taken before a queue's lock, never inside one */
	u64 next_id;
	bool id_wrapped;
	wait_queue_head_t space_wq; /* writers waiting for descriptors */
	wait_queue_head_t poll_wq;  /* poll(): responses, events, space, removal */

	/* SST_IOCTL_LOCK: the file holding the device's advisory lock, if any. */
	spinlock_t lock_lock;
	struct file *lock_owner;
	wait_queue_head_t lock_wq;

	/* Event queue and ring. */
	spinlock_t evt_lock;
	bool evt_dead;
	struct SSTEvent *evt_bufs;
	struct sst_event_ring ring; /* over ring_slots, read with SST_IOCTL_READ_EVENT */
	struct SSTEvent ring_slots[SST_EVENT_RING_SIZE];
	struct list_head evt_listeners; /* files with an event buffer (sst_file.evt_node) */

	/* Cached config space. */
	u32 cfg_version, cfg_device_id, cfg_num_queues, cfg_max_data;
	u64 cfg_features;
	u64 negotiated; /* device-specific feature bits (0-23) negotiated */

	char self_test[96]; /* the last self-test's result, for sysfs */

	atomic64_t requests, responses, events, errors, timeouts, events_dropped, in_flight;
};

/* An app buffer of an SST_REQ_BUFFERS request: its pinned pages and the segment table pages. */
struct sst_buf {
	struct page **pages;
	unsigned long npages;
	bool device_writes;
	unsigned long *tables; /* kernel addresses of the table pages */
	unsigned int ntables;
};

/* SST_IOCTL_BATCH's waiter: woken once, when the last of its requests completes. */
struct sst_batch_wait {
	atomic_t left;
	struct completion all;
};

struct sst_ctx {
	struct kref ref;
	struct list_head node; /* in its queue's inflight list while the device owns the buffers */
	struct sst_reqq *q;    /* the queue it was last submitted on */
	struct sst_batch_wait *batch; /* its batch's waiter, if any; cleared under q->lock */
	struct completion done;
	u64 id;
	int err;               /* 0, -ENODEV (removed), -EIO (malformed completion) */
	unsigned int resp_len; /* bytes the device wrote */
	struct SSTRequest *req;
	struct SSTResponse *resp;
	struct page *pages;    /* mapped buffer pair (order 1), or NULL: req/resp are kmalloc'ed */
	/* Mapped: the driver's copy of the request, which is what is checked and what the device
	 * reads, since the app can change its page at any time. */
	struct SSTRequest *sent;
	/* SST_REQ_BUFFERS: the app's buffers, pinned until the device is done with them */
	struct sst_buf bufs[SST_MAX_BUFFERS];
	unsigned int nbufs;
	struct work_struct free_work; /* unpinning may sleep; the last put can come from an IRQ */
};

struct sst_file {
	struct sst_dev *sdev;
	struct mutex lock;
	struct sst_ctx *ctx;    /* this fd's slot */
	struct sst_ctx *map;    /* the buffer pair mmap() gave this fd, reused for each request */
	struct sst_ctx *spare;  /* a write()'s buffers, answered and read: the next write reuses them */
	unsigned long deadline; /* jiffies */
	u64 last_id;
	struct sst_ctx **pool;  /* SST_IOCTL_BATCH's idle contexts, reused by the next batch */
	unsigned int npool;
	/* The mapped batch area (SST_MAP_BATCH_OFFSET): request slots, then response slots. */
	struct mutex batch_lock;
	u8 *batch_area;         /* vmalloc_user */
	unsigned int batch_slots;

	/* SST_IOCTL_REGISTER_EVENT_BUF: this file's own copy of every event, under sdev->evt_lock. */
	struct list_head evt_node;
	struct sst_event_ring evq; /* evq.slot is NULL until registered */
	u64 evq_dropped;
};

static dev_t sst_devt;
static struct class *sst_class;
static DEFINE_MUTEX(sst_table_lock);
static struct sst_dev *sst_table[SST_MAX_DEVICES];

/* ---- lifetimes ---- */

static struct workqueue_struct *sst_wq;
static atomic64_t sst_pinned_pages; /* of SST_REQ_BUFFERS requests, all devices */

/* Unpins an SST_REQ_BUFFERS request's buffers (dirtying those the device wrote) and frees their
 * segment tables.  Process context. */
static void sst_bufs_release(struct sst_ctx *ctx)
{
	unsigned int i, t;

	for (i = 0; i < ctx->nbufs; i++) {
		struct sst_buf *b = &ctx->bufs[i];

		if (b->npages) {
			unpin_user_pages_dirty_lock(b->pages, b->npages, b->device_writes);
			atomic64_sub(b->npages, &sst_pinned_pages);
		}
		kvfree(b->pages);
		for (t = 0; t < b->ntables; t++)
			free_page(b->tables[t]);
		kfree(b->tables);
		memset(b, 0, sizeof(*b));
	}
	ctx->nbufs = 0;
}

static void sst_ctx_free(struct sst_ctx *ctx)
{
	sst_bufs_release(ctx);
	if (ctx->pages) {
		__free_pages(ctx->pages, 1);
		kfree(ctx->sent);
	} else {
		kfree(ctx->req);
		kfree(ctx->resp);
	}
	kfree(ctx);
}

static void sst_ctx_free_work(struct work_struct *work)
{
	sst_ctx_free(container_of(work, struct sst_ctx, free_work));
}

static void sst_ctx_release(struct kref *ref)
{
	struct sst_ctx *ctx = container_of(ref, struct sst_ctx, ref);

	if (ctx->nbufs)
		queue_work(sst_wq, &ctx->free_work);
	else
		sst_ctx_free(ctx);
}

static void sst_ctx_put(struct sst_ctx *ctx)
{
	kref_put(&ctx->ref, sst_ctx_release);
}

static struct sst_ctx *sst_ctx_new(void)
{
	struct sst_ctx *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return NULL;
	kref_init(&ctx->ref);
	INIT_LIST_HEAD(&ctx->node);
	INIT_WORK(&ctx->free_work, sst_ctx_free_work);
	init_completion(&ctx->done);
	return ctx;
}

/* Makes an answered context ready to carry another request. */
static void sst_ctx_reset(struct sst_ctx *ctx)
{
	reinit_completion(&ctx->done);
	ctx->err = 0;
	ctx->resp_len = 0;
}

static struct sst_ctx *sst_ctx_alloc(void)
{
	struct sst_ctx *ctx = sst_ctx_new();

	if (!ctx)
		return NULL;
	/* Separate page-sized kmalloc buffers: DMA-able, one page each. */
	ctx->req = kzalloc(sizeof(*ctx->req), GFP_KERNEL); /* write() may fill only its start */
	ctx->resp = kmalloc(sizeof(*ctx->resp), GFP_KERNEL);
	if (!ctx->req || !ctx->resp) {
		sst_ctx_put(ctx);
		return NULL;
	}
	return ctx;
}

/* Request and response in two physically contiguous zeroed pages, for mmap(). */
static struct sst_ctx *sst_ctx_alloc_mapped(void)
{
	struct sst_ctx *ctx = sst_ctx_new();

	BUILD_BUG_ON(sizeof(struct SSTRequest) != PAGE_SIZE || sizeof(struct SSTResponse) != PAGE_SIZE);
	if (!ctx)
		return NULL;
	ctx->pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, 1);
	if (!ctx->pages) {
		kfree(ctx);
		return NULL;
	}
	ctx->req = page_address(ctx->pages);
	ctx->resp = page_address(ctx->pages + 1);
	ctx->sent = kzalloc(sizeof(*ctx->sent), GFP_KERNEL);
	if (!ctx->sent) {
		sst_ctx_put(ctx);
		return NULL;
	}
	return ctx;
}

static void sst_dev_release(struct kref *ref)
{
	kfree(container_of(ref, struct sst_dev, ref));
}

static void sst_dev_put(struct sst_dev *sdev)
{
	kref_put(&sdev->ref, sst_dev_release);
}

/* ---- virtqueue callbacks (IRQ context) ---- */

/* The device is done with ctx: wake its waiters.  Its queue's lock held. */
static void sst_ctx_finish(struct sst_ctx *ctx)
{
	complete_all(&ctx->done);
	if (ctx->batch && atomic_dec_and_test(&ctx->batch->left))
		complete(&ctx->batch->all);
	ctx->batch = NULL;
}

/* The request queue of a virtqueue. */
static struct sst_reqq *sst_reqq_of(struct sst_dev *sdev, struct virtqueue *vq)
{
	return &sdev->reqq[virtio_sst_request_queue(vq->index)];
}

static void sst_req_done(struct virtqueue *vq)
{
	struct sst_dev *sdev = vq->vdev->priv;
	struct sst_reqq *q = sst_reqq_of(sdev, vq);
	struct sst_ctx *ctx;
	unsigned long flags;
	unsigned int len;
	bool any = false;

	spin_lock_irqsave(&q->lock, flags);
	if (sdev->dead) { /* remove() reclaims everything */
		spin_unlock_irqrestore(&q->lock, flags);
		return;
	}
	while ((ctx = virtqueue_get_buf(vq, &len)) != NULL) {
		list_del_init(&ctx->node);
		atomic64_dec(&sdev->in_flight);
		atomic64_inc(&sdev->responses);
		ctx->resp_len = min_t(unsigned int, len, sizeof(*ctx->resp));
		dev_dbg(&sdev->vdev->dev, "response %llu: %s, %u bytes\n", (unsigned long long)ctx->id,
			len >= SST_HEADER_SIZE ? sst_status_str(ctx->resp->status) : "truncated", len);
		if (len < SST_HEADER_SIZE) {
			ctx->err = -EIO;
			atomic64_inc(&sdev->errors);
		} else if (ctx->resp->status != SST_STATUS_OK) {
			atomic64_inc(&sdev->errors);
		}
		sst_ctx_finish(ctx);
		sst_ctx_put(ctx); /* the device's reference */
		any = true;
	}
	spin_unlock_irqrestore(&q->lock, flags);
	if (any) {
		wake_up(&sdev->space_wq);
		wake_up_interruptible_poll(&sdev->poll_wq, EPOLLIN | EPOLLRDNORM | EPOLLOUT);
	}
}

static void sst_evt_done(struct virtqueue *vq)
{
	struct sst_dev *sdev = vq->vdev->priv;
	struct scatterlist sg;
	struct SSTEvent *ev;
	unsigned long flags;
	unsigned int len;
	bool any = false;

	spin_lock_irqsave(&sdev->evt_lock, flags);
	if (sdev->evt_dead) {
		spin_unlock_irqrestore(&sdev->evt_lock, flags);
		return;
	}
	while ((ev = virtqueue_get_buf(vq, &len)) != NULL) {
		if (len >= sizeof(*ev)) {
			struct sst_file *sf;

			dev_dbg(&sdev->vdev->dev, "event: type %u, request %llu, data 0x%llx, at %llu ps\n", ev->type,
				(unsigned long long)ev->request_id, (unsigned long long)ev->data,
				(unsigned long long)ev->timestamp);
			list_for_each_entry(sf, &sdev->evt_listeners, evt_node)
				sf->evq_dropped += sst_event_ring_push(&sf->evq, ev);
			if (sst_event_ring_push(&sdev->ring, ev))
				atomic64_inc(&sdev->events_dropped);
			atomic64_inc(&sdev->events);
			any = true;
		} else {
			atomic64_inc(&sdev->errors);
		}
		sg_init_one(&sg, ev, sizeof(*ev));
		if (virtqueue_add_inbuf(vq, &sg, 1, ev, GFP_ATOMIC))
			atomic64_inc(&sdev->errors);
	}
	virtqueue_kick(vq);
	spin_unlock_irqrestore(&sdev->evt_lock, flags);
	if (any)
		wake_up_interruptible_poll(&sdev->poll_wq, EPOLLIN | EPOLLRDNORM | EPOLLPRI | EPOLLRDBAND);
}

/* ---- submission ---- */

static bool sst_id_in_flight(struct sst_dev *sdev, u64 id)
{
	bool found = false;
	unsigned int i;
	struct sst_ctx *c;

	/* Called under id_lock, interrupts off already. */
	for (i = 0; i < sdev->nreqq && !found; i++) {
		spin_lock(&sdev->reqq[i].lock);
		list_for_each_entry(c, &sdev->reqq[i].inflight, node)
			found = found || c->id == id;
		spin_unlock(&sdev->reqq[i].lock);
	}
	return found;
}

/* A fresh request id: never 0, and after the 64-bit counter wraps, none still in flight.  id_lock held. */
static u64 sst_next_id_locked(struct sst_dev *sdev)
{
	u64 id;

	for (;;) {
		id = sdev->next_id++;
		if (sdev->next_id == 0)
			sdev->id_wrapped = true;
		if (id == 0)
			continue;
		if (sdev->id_wrapped && sst_id_in_flight(sdev, id))
			continue;
		return id;
	}
}

/* Fresh ids for ctxs[0..n), under one lock (each lock costs a TB exit under TCG).  An id taken here
 * goes into a queue's inflight list later, but a counter cannot wrap in between. */
static void sst_take_ids(struct sst_dev *sdev, struct sst_ctx **ctxs, unsigned int n)
{
	unsigned int i;

	spin_lock_irq(&sdev->id_lock);
	for (i = 0; i < n; i++)
		ctxs[i]->id = sst_next_id_locked(sdev);
	spin_unlock_irq(&sdev->id_lock);
}

/* The request queue of the CPU we run on: harts do not share a ring or a lock. */
static struct sst_reqq *sst_my_reqq(struct sst_dev *sdev)
{
	return &sdev->reqq[raw_smp_processor_id() % sdev->nreqq];
}

static bool sst_has_space(struct sst_dev *sdev, struct sst_reqq *q)
{
	bool ok;

	spin_lock_irq(&q->lock);
	ok = sdev->dead || q->vq->num_free >= 2;
	spin_unlock_irq(&q->lock);
	return ok;
}

/* Queues ctx (with its id) on q without kicking; q->lock held.  0, -ENOSPC, -ENODEV. */
static int sst_add_locked(struct sst_dev *sdev, struct sst_reqq *q, struct sst_ctx *ctx)
{
	struct scatterlist out, in, *sgs[2];
	int err;

	if (sdev->dead)
		return -ENODEV;
	struct SSTRequest *req = ctx->sent ? ctx->sent : ctx->req;

	sg_init_one(&out, req, sizeof(*req));
	sg_init_one(&in, ctx->resp, sizeof(*ctx->resp));
	sgs[0] = &out;
	sgs[1] = &in;
	req->request_id = ctx->id;
	if (ctx->sent)
		ctx->req->request_id = ctx->id; /* the app reads it in its page */
	err = virtqueue_add_sgs(q->vq, sgs, 1, 1, ctx, GFP_ATOMIC);
	if (err)
		return err;
	kref_get(&ctx->ref); /* the device's reference */
	ctx->q = q;
	q->submitted++;
	list_add_tail(&ctx->node, &q->inflight);
	atomic64_inc(&sdev->in_flight);
	atomic64_inc(&sdev->requests);
	dev_dbg(&sdev->vdev->dev, "request %llu: %s, flags 0x%x, user_data 0x%llx, queue %u\n", (unsigned long long)ctx->id,
		sst_request_type_str(req->type), req->flags, (unsigned long long)req->user_data,
		(unsigned int)(q - sdev->reqq));
	return 0;
}

/*
 * Submits n requests on the current CPU's queue, adding as many as fit under one lock and kicking
 * once (if the queue fills up, it kicks, waits for room and goes on).  Returns how many were
 * queued; *err says why not all.
 */
static unsigned int sst_submit_many(struct sst_dev *sdev, struct sst_ctx **ctxs, unsigned int n, bool nonblock,
				    int *err)
{
	struct sst_reqq *q = sst_my_reqq(sdev);
	unsigned int done = 0;

	*err = 0;
	sst_take_ids(sdev, ctxs, n);
	while (done < n) {
		spin_lock_irq(&q->lock);
		while (done < n && (*err = sst_add_locked(sdev, q, ctxs[done])) == 0)
			done++;
		/* Kick under the lock: remove() cannot delete the vq meanwhile. */
		if (!sdev->dead)
			virtqueue_kick(q->vq);
		spin_unlock_irq(&q->lock);
		if (*err == -ENOSPC && !nonblock) {
			if (wait_event_interruptible(sdev->space_wq, sst_has_space(sdev, q))) {
				*err = -ERESTARTSYS;
				break;
			}
			*err = 0;
		} else if (*err) {
			if (*err == -ENOSPC)
				*err = -EAGAIN;
			break;
		}
	}
	return done;
}

static int sst_submit(struct sst_dev *sdev, struct sst_ctx *ctx, bool nonblock)
{
	int err;

	sst_submit_many(sdev, &ctx, 1, nonblock, &err);
	return err;
}

/* ---- file operations ---- */

static int sst_open(struct inode *inode, struct file *file)
{
	unsigned int minor = iminor(inode);
	struct sst_dev *sdev = NULL;
	struct sst_file *sf;

	if (minor >= SST_MAX_DEVICES)
		return -ENODEV;
	sf = kzalloc(sizeof(*sf), GFP_KERNEL);
	if (!sf)
		return -ENOMEM;
	mutex_lock(&sst_table_lock);
	sdev = sst_table[minor];
	if (sdev)
		kref_get(&sdev->ref);
	mutex_unlock(&sst_table_lock);
	if (!sdev) {
		kfree(sf);
		return -ENODEV;
	}
	sf->sdev = sdev;
	mutex_init(&sf->lock);
	mutex_init(&sf->batch_lock);
	INIT_LIST_HEAD(&sf->evt_node);
	file->private_data = sf;
	return nonseekable_open(inode, file);
}

/* SST_IOCTL_LOCK: takes the device's advisory lock for `file`, or says why not. */
static bool sst_try_lock(struct sst_dev *sdev, struct file *file, int *err)
{
	bool got;

	spin_lock(&sdev->lock_lock);
	got = !sdev->lock_owner || sdev->lock_owner == file;
	if (got)
		sdev->lock_owner = file;
	spin_unlock(&sdev->lock_lock);
	*err = got ? 0 : -EAGAIN;
	return got;
}

static int sst_lock(struct sst_dev *sdev, struct file *file)
{
	int err;

	if (sst_try_lock(sdev, file, &err) || (file->f_flags & O_NONBLOCK))
		return err;
	return wait_event_interruptible(sdev->lock_wq, sst_try_lock(sdev, file, &err)) ? -ERESTARTSYS : err;
}

/* Gives up the lock if `file` holds it. */
static void sst_unlock(struct sst_dev *sdev, struct file *file)
{
	bool held;

	spin_lock(&sdev->lock_lock);
	held = sdev->lock_owner == file;
	if (held)
		sdev->lock_owner = NULL;
	spin_unlock(&sdev->lock_lock);
	if (held)
		wake_up_interruptible(&sdev->lock_wq);
}

static int sst_release(struct inode *inode, struct file *file)
{
	struct sst_file *sf = file->private_data;

	sst_unlock(sf->sdev, file); /* a process that dies holding the lock gives it up here */
	spin_lock_irq(&sf->sdev->evt_lock);
	list_del(&sf->evt_node);
	spin_unlock_irq(&sf->sdev->evt_lock);
	kfree(sf->evq.slot);

	if (sf->ctx) /* detach: the device's reference (if any) frees it later */
		sst_ctx_put(sf->ctx);
	if (sf->map) /* no mapping is left (each holds the file), but the device may still own it */
		sst_ctx_put(sf->map);
	if (sf->spare)
		sst_ctx_put(sf->spare);
	while (sf->npool)
		sst_ctx_put(sf->pool[--sf->npool]);
	kfree(sf->pool);
	vfree(sf->batch_area); /* no mapping is left: each holds the file */
	sst_dev_put(sf->sdev);
	kfree(sf);
	return 0;
}

/* Puts ctx (whose reference the slot takes) in sf's free slot and submits it.  sf->lock held. */
static int sst_slot_submit(struct sst_file *sf, struct sst_ctx *ctx, bool nonblock)
{
	int err;

	if (sf->ctx)
		return -EBUSY;
	err = sst_submit(sf->sdev, ctx, nonblock);
	if (err)
		return err;
	sf->ctx = ctx;
	sf->deadline = jiffies + msecs_to_jiffies(READ_ONCE(timeout_ms));
	sf->last_id = ctx->id;
	return 0;
}

/* Frees sf's slot.  sf->lock held. */
static void sst_slot_clear(struct sst_file *sf)
{
	struct sst_ctx *ctx = sf->ctx;

	sf->ctx = NULL;
	sst_ctx_put(ctx); /* detached: the device's reference (if any) frees it later */
}

/*
 * Frees sf's slot, keeping its answered write() context (the slot's reference) for the next
 * write().  The device is done with it: it completed, and sst_req_done dropped the device's
 * reference under vq_lock, which a new submission takes too.  sf->lock held.
 */
static void sst_slot_keep_spare(struct sst_file *sf)
{
	sf->spare = sf->ctx;
	sf->ctx = NULL;
}

/*
 * Waits until the request in sf's slot is complete; 0 then, with sf->ctx the completed context
 * (still in the slot).  -ENODATA: nothing submitted (or another thread took the response);
 * -EAGAIN (nonblock); -EINTR/-ERESTARTSYS: a signal, the request stays pending; -ETIMEDOUT:
 * timeout_ms passed since the submission, and the slot is freed.  Called and returns with
 * sf->lock held; drops it while waiting, so other fds and threads are never held up.
 */
static int sst_slot_wait(struct sst_file *sf, bool nonblock)
{
	struct sst_ctx *ctx = sf->ctx;
	long left;

	if (!ctx)
		return -ENODATA;
	if (completion_done(&ctx->done))
		return 0;
	left = (long)(sf->deadline - jiffies);
	if (left <= 0)
		goto timed_out;
	if (nonblock)
		return -EAGAIN;
	kref_get(&ctx->ref); /* our own reference while the fd mutex is dropped */
	mutex_unlock(&sf->lock);
	left = wait_for_completion_interruptible_timeout(&ctx->done, left);
	mutex_lock(&sf->lock);
	sst_ctx_put(ctx); /* the slot still holds one if sf->ctx == ctx */
	if (sf->ctx != ctx) /* another thread on this fd consumed it */
		return -ENODATA;
	if (left < 0)
		return left;
	if (completion_done(&ctx->done))
		return 0;
timed_out:
	sst_slot_clear(sf);
	atomic64_inc(&sf->sdev->timeouts);
	return -ETIMEDOUT;
}

/* The completed ctx's response, zero-filled past what the device wrote; its error if it failed. */
static int sst_ctx_result(struct sst_dev *sdev, struct sst_ctx *ctx)
{
	if (ctx->err)
		return ctx->err;
	if (ctx->resp_len < sizeof(*ctx->resp))
		memset((u8 *)ctx->resp + ctx->resp_len, 0, sizeof(*ctx->resp) - ctx->resp_len);
	if (ctx->resp->request_id != ctx->id) {
		pr_warn_ratelimited("sst%u: response id %llu for request %llu\n", sdev->minor,
				     (unsigned long long)ctx->resp->request_id,
				     (unsigned long long)ctx->id);
		atomic64_inc(&sdev->errors);
	}
	return 0;
}

/*
 * Requests come in from, and responses go out to, user buffers through the kernel's mapping of
 * their pinned pages instead of copy_{from,to}_user.  Why: a user access from kernel mode sets and
 * clears SSTATUS.SUM, and QEMU 7.2's TCG flushes its whole TLB each time; pinning walks the page
 * tables without that.  Whatever cannot be pinned (a bad pointer) goes the ordinary way, which
 * then reports -EFAULT.
 */
struct sst_pinned {
	struct page **pages;
	struct page *few[2]; /* pages, for a buffer of up to a page (which spans at most two) */
	int n;
	unsigned int off;    /* of the buffer in pages[0] */
};

static bool sst_pin(struct sst_pinned *p, unsigned long uaddr, size_t len, bool write)
{
	int got;

	p->off = offset_in_page(uaddr);
	p->n = DIV_ROUND_UP(p->off + len, PAGE_SIZE);
	p->pages = p->n <= ARRAY_SIZE(p->few) ? p->few : kvmalloc_array(p->n, sizeof(*p->pages), GFP_KERNEL);
	if (!p->pages)
		return false;
	got = pin_user_pages_fast(uaddr & PAGE_MASK, p->n, write ? FOLL_WRITE : 0, p->pages);
	if (got == p->n)
		return true;
	if (got > 0)
		unpin_user_pages(p->pages, got);
	if (p->pages != p->few)
		kvfree(p->pages);
	return false;
}

static void sst_unpin(struct sst_pinned *p, bool dirty)
{
	if (dirty)
		unpin_user_pages_dirty_lock(p->pages, p->n, true);
	else
		unpin_user_pages(p->pages, p->n);
	if (p->pages != p->few)
		kvfree(p->pages);
}

/* Copies len bytes between kbuf and the pinned buffer's bytes from `at` on. */
static void sst_pinned_copy(struct sst_pinned *p, void *kbuf, size_t at, size_t len, bool to_user)
{
	u8 *k = kbuf;

	while (len) {
		size_t pos = p->off + at;
		size_t chunk = min_t(size_t, len, PAGE_SIZE - offset_in_page(pos));
		u8 *va = kmap_local_page(p->pages[pos / PAGE_SIZE]);

		if (to_user)
			memcpy(va + offset_in_page(pos), k, chunk);
		else
			memcpy(k, va + offset_in_page(pos), chunk);
		kunmap_local(va);
		k += chunk;
		at += chunk;
		len -= chunk;
	}
}

static int sst_copy_response_out(const struct SSTResponse *resp, void __user *buf)
{
	struct sst_pinned p;

	if (!sst_pin(&p, (unsigned long)buf, sizeof(*resp), true))
		return copy_to_user(buf, resp, sizeof(*resp)) ? -EFAULT : 0;
	sst_pinned_copy(&p, (void *)resp, 0, sizeof(*resp), true);
	sst_unpin(&p, true);
	return 0;
}

/*
 * The header and the fixed start of the payload, then only the bytes the type uses
 * (sst_request_used_size): under TCG copying the whole page costs more than the rest of a write.
 * The tail of req keeps this fd's earlier request or zeros; no reader looks at it.
 */
/* How many bytes after SST_REQUEST_PREFIX_SIZE the request's type uses, read from its copied prefix. */
static size_t sst_request_rest(const struct SSTRequest *req)
{
	return max_t(size_t, sst_request_used_size(req), SST_REQUEST_PREFIX_SIZE) - SST_REQUEST_PREFIX_SIZE;
}

static void sst_pinned_request_in(struct sst_pinned *p, size_t at, struct SSTRequest *req)
{
	const size_t prefix = SST_REQUEST_PREFIX_SIZE;

	sst_pinned_copy(p, req, at, prefix, false);
	sst_pinned_copy(p, (u8 *)req + prefix, at + prefix, sst_request_rest(req), false);
}

static int sst_copy_request_in(struct SSTRequest *req, const void __user *buf)
{
	struct sst_pinned p;

	const size_t prefix = SST_REQUEST_PREFIX_SIZE;

	if (!sst_pin(&p, (unsigned long)buf, sizeof(*req), false)) {
		if (copy_from_user(req, buf, prefix))
			return -EFAULT;
		return copy_from_user((u8 *)req + prefix, (const u8 __user *)buf + prefix, sst_request_rest(req)) ?
			       -EFAULT : 0;
	}
	sst_pinned_request_in(&p, 0, req);
	sst_unpin(&p, false);
	return 0;
}

/* Appends an extent to a buffer's segment table (desc->segments counts them), starting a new table
 * page when needed. */
static int sst_table_add(struct sst_buf *b, struct SSTBuffer *desc, struct SSTSegmentTable **table, u64 addr, u64 len)
{
	struct SSTSegmentTable *t = *table;

	if (!t || t->count == SST_SEGMENTS_PER_TABLE) {
		struct SSTSegmentTable *next = (void *)get_zeroed_page(GFP_KERNEL);

		if (!next)
			return -ENOMEM;
		b->tables[b->ntables++] = (unsigned long)next;
		if (t)
			t->next = virt_to_phys(next);
		else
			desc->addr = virt_to_phys(next);
		*table = t = next;
	}
	t->segment[t->count].addr = addr;
	t->segment[t->count].length = len;
	t->count++;
	desc->segments++;
	return 0;
}

/*
 * SST_REQ_BUFFERS: pins each buffer the request names (writable ones with FOLL_WRITE, so a buffer
 * the app may not write is refused) and replaces its address with the guest-physical address of a
 * segment table listing its extents, physically contiguous pages merged.  On failure what was
 * pinned stays in ctx for sst_bufs_release.
 */
static int sst_bufs_prepare(struct sst_dev *sdev, struct sst_ctx *ctx)
{
	struct SSTRequest *req = ctx->req;
	unsigned int i;

	for (i = 0; i < req->payload.buffers.count; i++) {
		struct SSTBuffer *desc = &req->payload.buffers.buffer[i];
		struct sst_buf *b = &ctx->bufs[i];
		unsigned long uaddr = desc->addr, start = uaddr & PAGE_MASK;
		unsigned long want = DIV_ROUND_UP(offset_in_page(uaddr) + desc->length, PAGE_SIZE);
		struct SSTSegmentTable *table = NULL;
		u64 remaining = desc->length, seg_addr = 0, seg_len = 0;
		unsigned long p;
		int err;

		ctx->nbufs = i + 1;
		desc->segments = 0;
		b->device_writes = desc->access & SST_BUF_DEVICE_WRITES;
		if (!access_ok((void __user *)uaddr, desc->length))
			return -EFAULT;
		b->pages = kvmalloc_array(want, sizeof(*b->pages), GFP_KERNEL);
		b->tables = kcalloc(want / SST_SEGMENTS_PER_TABLE + 1, sizeof(*b->tables), GFP_KERNEL);
		if (!b->pages || !b->tables)
			return -ENOMEM;
		while (b->npages < want) {
			int got = pin_user_pages_fast(start + b->npages * PAGE_SIZE, want - b->npages,
						      b->device_writes ? FOLL_WRITE : 0, b->pages + b->npages);

			if (got <= 0)
				return got ? got : -EFAULT;
			b->npages += got;
			atomic64_add(got, &sst_pinned_pages);
		}
		for (p = 0; p < want; p++) {
			u64 off = p ? 0 : offset_in_page(uaddr);
			u64 len = min_t(u64, PAGE_SIZE - off, remaining);
			u64 addr = page_to_phys(b->pages[p]) + off;

			remaining -= len;
			if (seg_len && addr == seg_addr + seg_len) {
				seg_len += len; /* physically contiguous with the previous page */
				continue;
			}
			if (seg_len) {
				err = sst_table_add(b, desc, &table, seg_addr, seg_len);
				if (err)
					return err;
			}
			seg_addr = addr;
			seg_len = len;
		}
		err = sst_table_add(b, desc, &table, seg_addr, seg_len);
		if (err)
			return err;
		pr_debug("sst%u: buffer %u: %llu bytes, %lu pages, %u segments\n", sdev->minor, i, desc->length,
			 b->npages, desc->segments);
	}
	return 0;
}

static int sst_check_request(struct sst_dev *sdev, const struct SSTRequest *req)
{
	const char *why = NULL;

	if (sst_request_check(req, sizeof(*req), &why) == SST_STATUS_OK)
		return 0;
	pr_debug("sst%u: invalid request: %s\n", sdev->minor, why);
	atomic64_inc(&sdev->errors);
	return -EINVAL;
}

static ssize_t sst_write(struct file *file, const char __user *buf, size_t count, loff_t *ppos)
{
	struct sst_file *sf = file->private_data;
	struct sst_dev *sdev = sf->sdev;
	struct sst_ctx *ctx;
	int err;

	if (count != sizeof(struct SSTRequest)) {
		atomic64_inc(&sdev->errors);
		return -EINVAL;
	}
	if (READ_ONCE(sdev->dead))
		return -ENODEV;
	mutex_lock(&sf->lock);
	ctx = sf->spare; /* allocating three buffers per request costs more than the rest of a write */
	sf->spare = NULL;
	mutex_unlock(&sf->lock);
	if (ctx)
		sst_ctx_reset(ctx);
	else
		ctx = sst_ctx_alloc();
	if (!ctx)
		return -ENOMEM;
	err = sst_copy_request_in(ctx->req, buf);
	if (err) {
		sst_ctx_put(ctx);
		return err;
	}
	err = sst_check_request(sdev, ctx->req);
	if (!err && ctx->req->type == SST_REQ_BUFFERS)
		err = sst_bufs_prepare(sdev, ctx);
	if (!err) {
		mutex_lock(&sf->lock);
		err = sst_slot_submit(sf, ctx, file->f_flags & O_NONBLOCK);
		mutex_unlock(&sf->lock);
	}
	if (err) {
		sst_ctx_put(ctx);
		return err;
	}
	return count;
}

static bool sst_evq_ready(struct sst_file *sf)
{
	return READ_ONCE(sf->evq.count) || READ_ONCE(sf->sdev->dead);
}

/* read() of one SSTEvent from the file's event buffer. */
static ssize_t sst_read_event(struct sst_file *sf, char __user *buf, bool nonblock)
{
	struct sst_dev *sdev = sf->sdev;
	struct SSTEvent ev;

	for (;;) {
		bool registered, got;

		spin_lock_irq(&sdev->evt_lock);
		registered = sf->evq.slot;
		got = registered && sst_event_ring_pop(&sf->evq, &ev);
		spin_unlock_irq(&sdev->evt_lock);
		if (!registered)
			return -EINVAL;
		if (got)
			return copy_to_user(buf, &ev, sizeof(ev)) ? -EFAULT : sizeof(ev);
		if (READ_ONCE(sdev->dead))
			return -ENODEV;
		if (nonblock)
			return -EAGAIN;
		if (wait_event_interruptible(sdev->poll_wq, sst_evq_ready(sf)))
			return -ERESTARTSYS;
	}
}

static int sst_register_event_buf(struct sst_file *sf, const void __user *uarg)
{
	struct sst_dev *sdev = sf->sdev;
	struct sst_event_buf eb;
	struct SSTEvent *q;
	unsigned int n;
	int err = 0;

	if (copy_from_user(&eb, uarg, sizeof(eb)))
		return -EFAULT;
	if (eb.flags || eb.entries > SST_EVENT_BUF_MAX)
		return -EINVAL;
	n = eb.entries ? eb.entries : SST_EVENT_RING_SIZE;
	q = kcalloc(n, sizeof(*q), GFP_KERNEL);
	if (!q)
		return -ENOMEM;
	spin_lock_irq(&sdev->evt_lock);
	if (sf->evq.slot) {
		err = -EBUSY;
	} else {
		sf->evq = (struct sst_event_ring){ .slot = q, .size = n };
		list_add_tail(&sf->evt_node, &sdev->evt_listeners);
	}
	spin_unlock_irq(&sdev->evt_lock);
	if (err)
		kfree(q);
	return err;
}

static ssize_t sst_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	struct sst_file *sf = file->private_data;
	ssize_t ret;

	if (count == sizeof(struct SSTEvent))
		return sst_read_event(sf, buf, file->f_flags & O_NONBLOCK);
	if (count != sizeof(struct SSTResponse))
		return -EINVAL;
	mutex_lock(&sf->lock);
	ret = sst_slot_wait(sf, file->f_flags & O_NONBLOCK);
	if (!ret) {
		ret = sst_ctx_result(sf->sdev, sf->ctx);
		sst_bufs_release(sf->ctx); /* answered: the device is done with the app's buffers */
		if (!ret && sst_copy_response_out(sf->ctx->resp, buf))
			ret = -EFAULT; /* keep the slot: the caller may retry */
		else if (!ret && !sf->spare && !sf->ctx->pages)
			sst_slot_keep_spare(sf);
		else
			sst_slot_clear(sf);
		if (!ret)
			ret = count;
	}
	mutex_unlock(&sf->lock);
	return ret;
}

/*
 * Copies what a request in a page the app has mapped uses (as write() does) into the driver's own
 * buffer.  The app may change the page meanwhile, so the length comes from what was copied.
 */
static void sst_request_snapshot(struct SSTRequest *dst, const struct SSTRequest *src)
{
	memcpy(dst, src, SST_REQUEST_PREFIX_SIZE);
	memcpy((u8 *)dst + SST_REQUEST_PREFIX_SIZE, (const u8 *)src + SST_REQUEST_PREFIX_SIZE, sst_request_rest(dst));
}

/*
 * SST_IOCTL_SUBMIT: the request in the fd's mapped buffer.  The driver copies what the request
 * uses out of the page (a memcpy: the page is the driver's, so no user access), checks that copy
 * and gives it to the device, which writes the response straight into the next page.  Had the
 * device read the page itself, the app could have rewritten a checked request into one the driver
 * never saw, such as SST_REQ_BUFFERS naming guest-physical memory.
 */
static int sst_map_submit(struct sst_file *sf, bool nonblock)
{
	struct sst_dev *sdev = sf->sdev;
	struct sst_ctx *ctx = sf->map;
	bool owned;
	int err;

	if (!ctx)
		return -EINVAL; /* nothing mapped */
	if (READ_ONCE(sdev->dead))
		return -ENODEV;
	if (sf->ctx)
		return -EBUSY;
	/* A request that timed out may still be the device's: its buffers cannot go out again. */
	owned = false;
	if (ctx->q) {
		spin_lock_irq(&ctx->q->lock);
		owned = !list_empty(&ctx->node);
		spin_unlock_irq(&ctx->q->lock);
	}
	if (owned)
		return -EBUSY;
	/* Checked and sent: the driver's copy, which the app cannot change after the check. */
	sst_request_snapshot(ctx->sent, ctx->req);
	err = sst_check_request(sdev, ctx->sent);
	if (err)
		return err;
	/* Its buffers would have to be pinned, and unpinned on read(): write() does that. */
	if (ctx->sent->type == SST_REQ_BUFFERS)
		return -EINVAL;
	sst_ctx_reset(ctx);
	kref_get(&ctx->ref); /* the slot's reference */
	err = sst_slot_submit(sf, ctx, nonblock);
	if (err)
		sst_ctx_put(ctx);
	return err;
}

/* SST_IOCTL_WAIT: the response of the mapped request lands in the mapped response page. */
static int sst_map_wait(struct sst_file *sf, bool nonblock)
{
	int err;

	if (!sf->map)
		return -EINVAL;
	if (sf->ctx && sf->ctx != sf->map)
		return -EINVAL; /* the slot holds a write()'s request: read() it */
	err = sst_slot_wait(sf, nonblock);
	if (err)
		return err;
	err = sst_ctx_result(sf->sdev, sf->ctx);
	sst_slot_clear(sf);
	return err;
}

/* mmap at SST_MAP_BATCH_OFFSET: the fd's batch area, made on the first mapping. */
static int sst_mmap_batch(struct sst_file *sf, struct vm_area_struct *vma)
{
	unsigned long size = vma->vm_end - vma->vm_start;
	unsigned long slots = size / (2 * PAGE_SIZE);
	int err;

	if (!slots || slots > SST_BATCH_MAX || size != slots * 2 * PAGE_SIZE)
		return -EINVAL;
	mutex_lock(&sf->batch_lock);
	if (sf->batch_area && sf->batch_slots != slots) {
		err = -EINVAL; /* mapped before with another size */
	} else {
		if (!sf->batch_area) {
			sf->batch_area = vmalloc_user(size);
			sf->batch_slots = sf->batch_area ? slots : 0;
		}
		err = sf->batch_area ? remap_vmalloc_range(vma, sf->batch_area, 0) : -ENOMEM;
	}
	if (!err)
		vma->vm_flags |= VM_DONTEXPAND | VM_DONTDUMP;
	mutex_unlock(&sf->batch_lock);
	return err;
}

static int sst_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct sst_file *sf = file->private_data;
	unsigned long size = vma->vm_end - vma->vm_start;
	int err = 0;

	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (vma->vm_pgoff == SST_MAP_BATCH_OFFSET >> PAGE_SHIFT)
		return sst_mmap_batch(sf, vma);
	if (vma->vm_pgoff != 0 || size != SST_MAP_SIZE)
		return -EINVAL;
	mutex_lock(&sf->lock);
	if (!sf->map)
		sf->map = sst_ctx_alloc_mapped();
	if (!sf->map)
		err = -ENOMEM;
	else
		err = remap_pfn_range(vma, vma->vm_start, page_to_pfn(sf->map->pages), size,
				      vma->vm_page_prot);
	if (!err)
		vma->vm_flags |= VM_DONTEXPAND | VM_DONTDUMP;
	mutex_unlock(&sf->lock);
	return err;
}

static __poll_t sst_poll(struct file *file, poll_table *wait)
{
	struct sst_file *sf = file->private_data;
	struct sst_dev *sdev = sf->sdev;
	__poll_t mask = 0;
	struct sst_ctx *ctx;

	poll_wait(file, &sdev->poll_wq, wait);
	if (READ_ONCE(sdev->dead))
		mask |= EPOLLERR | EPOLLHUP;

	mutex_lock(&sf->lock);
	ctx = sf->ctx;
	/* Ready, or past the deadline (read() returns -ETIMEDOUT without blocking).  There is no
	 * wake-up at the deadline itself: poll with a timeout of at least timeout_ms. */
	if (ctx && (completion_done(&ctx->done) || time_after_eq(jiffies, sf->deadline)))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (!ctx && !READ_ONCE(sdev->dead) && sst_has_space(sdev, sst_my_reqq(sdev)))
		mask |= EPOLLOUT | EPOLLWRNORM;
	mutex_unlock(&sf->lock);

	spin_lock_irq(&sdev->evt_lock);
	if (sdev->ring.count)
		mask |= EPOLLPRI | EPOLLRDBAND;
	if (sf->evq.count)
		mask |= EPOLLIN | EPOLLRDNORM;
	spin_unlock_irq(&sdev->evt_lock);
	return mask;
}

static void sst_fill_stats(struct sst_dev *sdev, struct sst_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->requests = atomic64_read(&sdev->requests);
	st->responses = atomic64_read(&sdev->responses);
	st->events = atomic64_read(&sdev->events);
	st->errors = atomic64_read(&sdev->errors);
	st->timeouts = atomic64_read(&sdev->timeouts);
	st->events_dropped = atomic64_read(&sdev->events_dropped);
	st->in_flight = atomic64_read(&sdev->in_flight);
	st->pinned_pages = atomic64_read(&sst_pinned_pages);
}

/* Whether the device is done with ctx: it completed it and dropped its reference, which
 * sst_req_done does under the queue's lock. */
static bool sst_ctx_idle(struct sst_ctx *ctx)
{
	bool idle;

	if (!ctx->q)
		return true;
	spin_lock_irq(&ctx->q->lock);
	idle = list_empty(&ctx->node);
	spin_unlock_irq(&ctx->q->lock);
	return idle;
}

/* Takes up to n idle contexts from sf's batch pool into ctxs. */
static void sst_pool_take(struct sst_file *sf, struct sst_ctx **ctxs, unsigned int n)
{
	unsigned int i;

	mutex_lock(&sf->lock);
	for (i = 0; i < n && sf->npool; i++) {
		ctxs[i] = sf->pool[--sf->npool];
		sst_ctx_reset(ctxs[i]);
	}
	mutex_unlock(&sf->lock);
}

/* Keeps the batch's idle contexts for the next batch, drops the rest (a queued, unanswered one
 * lives on in the device's reference). */
static void sst_pool_give(struct sst_file *sf, struct sst_ctx **ctxs, unsigned int n)
{
	unsigned int i;

	mutex_lock(&sf->lock);
	if (!sf->pool)
		sf->pool = kcalloc(SST_BATCH_MAX, sizeof(*sf->pool), GFP_KERNEL);
	for (i = 0; i < n; i++) {
		if (!ctxs[i])
			continue;
		if (sf->pool && sf->npool < SST_BATCH_MAX && sst_ctx_idle(ctxs[i]))
			sf->pool[sf->npool++] = ctxs[i];
		else
			sst_ctx_put(ctxs[i]);
	}
	mutex_unlock(&sf->lock);
}

/* The batch ends early: its requests still in flight must not reach `wait` (on our stack) later. */
static void sst_batch_detach(struct sst_ctx **ctxs, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (ctxs[i]->q)
			spin_lock_irq(&ctxs[i]->q->lock);
		ctxs[i]->batch = NULL;
		if (ctxs[i]->q)
			spin_unlock_irq(&ctxs[i]->q->lock);
	}
}

/*
 * Where a batch's requests come from and its responses go: the app's arrays through pinned pages
 * (SST_IOCTL_BATCH), or the fd's mapped batch area (SST_IOCTL_BATCH_MAPPED), which the driver reads
 * and writes directly.  Neither is a user access: under TCG each of those flushes QEMU's TLB.
 */
struct sst_batch_io {
	struct sst_pinned *reqs, *resps; /* SST_IOCTL_BATCH */
	u8 *area;                        /* SST_IOCTL_BATCH_MAPPED: the batch area */
	unsigned int slots;
};

static void sst_batch_request_in(struct sst_batch_io *io, unsigned int i, struct SSTRequest *req)
{
	if (io->area)
		sst_request_snapshot(req, (const struct SSTRequest *)(io->area + (size_t)i * PAGE_SIZE));
	else
		sst_pinned_request_in(io->reqs, (size_t)i * sizeof(*req), req);
}

/* Only what the response carries: under TCG a whole page per request costs more than the rest. */
static void sst_batch_response_out(struct sst_batch_io *io, unsigned int i, const struct sst_ctx *ctx)
{
	const size_t len = sst_response_used_size(ctx->req->type, ctx->resp);

	if (io->area)
		memcpy(io->area + ((size_t)io->slots + i) * PAGE_SIZE, ctx->resp, len);
	else
		sst_pinned_copy(io->resps, ctx->resp, (size_t)i * sizeof(struct SSTResponse), len, true);
}

/*
 * Submits count requests from io, one kick, and waits for them all; returns 0 or an error, with
 * *completed the responses written in order (or, on -EINVAL, the index of the bad request).  The
 * contexts are this call's own (kept in a per-file pool between calls), so the fd's slot is
 * untouched; the unanswered ones of a timed-out or interrupted batch stay the device's until it
 * completes them.
 */
static int sst_batch_run(struct sst_file *sf, struct sst_batch_io *io, unsigned int count, unsigned int *completed)
{
	struct sst_dev *sdev = sf->sdev;
	struct sst_batch_wait wait;
	struct sst_ctx **ctxs;
	unsigned int i, n;
	int err = 0;

	*completed = 0;
	ctxs = kcalloc(count, sizeof(*ctxs), GFP_KERNEL);
	if (!ctxs)
		return -ENOMEM;
	sst_pool_take(sf, ctxs, count);
	for (n = 0; n < count && !err; n++) {
		if (!ctxs[n])
			ctxs[n] = sst_ctx_alloc();
		if (!ctxs[n]) {
			err = -ENOMEM;
			break;
		}
		sst_batch_request_in(io, n, ctxs[n]->req);
		err = sst_check_request(sdev, ctxs[n]->req);
		/* Pinning an app's buffers belongs to write(), which unpins them when answered. */
		if (!err && ctxs[n]->req->type == SST_REQ_BUFFERS)
			err = -EINVAL;
		if (err)
			*completed = n; /* the bad one */
	}
	if (err)
		goto out;
	/* One wake-up for the whole batch, not one per request. */
	atomic_set(&wait.left, n);
	init_completion(&wait.all);
	for (i = 0; i < n; i++)
		ctxs[i]->batch = &wait;
	if (sst_submit_many(sdev, ctxs, n, false, &err) == n) {
		long left = wait_for_completion_interruptible_timeout(&wait.all,
								      msecs_to_jiffies(READ_ONCE(timeout_ms)));

		if (left < 0) {
			err = -EINTR; /* not restarted: that would submit the batch again */
		} else if (!left) {
			atomic64_inc(&sdev->timeouts);
			err = -ETIMEDOUT;
		}
	} else if (err == -ERESTARTSYS) {
		err = -EINTR; /* some went out: a restart would submit them again */
	}
	if (err)
		sst_batch_detach(ctxs, n);
	for (i = 0; i < n && completion_done(&ctxs[i]->done); i++) {
		int result = sst_ctx_result(sdev, ctxs[i]);

		if (result) {
			err = result;
			break;
		}
		sst_batch_response_out(io, i, ctxs[i]);
	}
	*completed = i;
out:
	sst_pool_give(sf, ctxs, count);
	kfree(ctxs);
	return err;
}

/* SST_IOCTL_BATCH: the argument, the requests and the responses through pinned pages. */
static int sst_batch(struct sst_file *sf, unsigned long uarg)
{
	const size_t at_completed = offsetof(struct sst_batch, completed);
	struct sst_pinned arg, reqs, resps;
	struct sst_batch_io io = { .reqs = &reqs, .resps = &resps };
	struct sst_batch b;
	int err;

	if (!sst_pin(&arg, uarg, sizeof(b), true))
		return -EFAULT;
	sst_pinned_copy(&arg, &b, 0, sizeof(b), false);
	b.completed = 0;
	if (!b.count || b.count > SST_BATCH_MAX || b.flags) {
		err = -EINVAL;
	} else if (!sst_pin(&reqs, b.requests, (size_t)b.count * sizeof(struct SSTRequest), false)) {
		err = -EFAULT;
	} else if (!sst_pin(&resps, b.responses, (size_t)b.count * sizeof(struct SSTResponse), true)) {
		sst_unpin(&reqs, false);
		err = -EFAULT;
	} else {
		err = sst_batch_run(sf, &io, b.count, &b.completed);
		sst_unpin(&resps, true);
		sst_unpin(&reqs, false);
	}
	sst_pinned_copy(&arg, &b.completed, at_completed, sizeof(b.completed), true);
	sst_unpin(&arg, true);
	return err;
}

/*
 * SST_IOCTL_BATCH_MAPPED: slots 0..count-1 of the fd's batch area.  Each response slot first says
 * "not answered" (request_id 0, SST_STATUS_TIMEOUT), so after an error the app can tell.
 */
static int sst_batch_mapped(struct sst_file *sf, unsigned long count)
{
	struct sst_batch_io io;
	unsigned int i, completed;
	int err;

	mutex_lock(&sf->batch_lock); /* one batch at a time in the area */
	io = (struct sst_batch_io){ .area = sf->batch_area, .slots = sf->batch_slots };
	if (!io.area || !count || count > io.slots) {
		mutex_unlock(&sf->batch_lock);
		return -EINVAL;
	}
	for (i = 0; i < count; i++) {
		struct SSTResponse *r = (struct SSTResponse *)(io.area + ((size_t)io.slots + i) * PAGE_SIZE);

		r->request_id = 0;
		r->status = SST_STATUS_TIMEOUT;
	}
	err = sst_batch_run(sf, &io, count, &completed);
	if (err == -EINVAL && completed < count)
		((struct SSTResponse *)(io.area + ((size_t)io.slots + completed) * PAGE_SIZE))->status = SST_STATUS_INVALID;
	mutex_unlock(&sf->batch_lock);
	return err;
}

static long sst_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct sst_file *sf = file->private_data;
	struct sst_dev *sdev = sf->sdev;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case SST_IOCTL_GET_INFO: {
		struct sst_info info;

		memset(&info, 0, sizeof(info));
		info.version = sdev->cfg_version;
		info.device_id = sdev->cfg_device_id;
		info.features = sdev->cfg_features;
		info.negotiated = sdev->negotiated;
		info.num_queues = sdev->cfg_num_queues;
		info.max_data_size = sdev->cfg_max_data;
		info.minor = sdev->minor;
		info.timeout_ms = READ_ONCE(timeout_ms);
		info.event_ring_size = SST_EVENT_RING_SIZE;
		spin_lock_irq(&sdev->reqq[0].lock);
		if (!sdev->dead)
			info.vq_size = virtqueue_get_vring_size(sdev->reqq[0].vq);
		spin_unlock_irq(&sdev->reqq[0].lock);
		sst_fill_stats(sdev, &info.stats);
		return copy_to_user(uarg, &info, sizeof(info)) ? -EFAULT : 0;
	}
	case SST_IOCTL_GET_STATS: {
		struct sst_stats st;

		sst_fill_stats(sdev, &st);
		return copy_to_user(uarg, &st, sizeof(st)) ? -EFAULT : 0;
	}
	case SST_IOCTL_READ_EVENT: {
		struct SSTEvent ev;
		bool got;

		spin_lock_irq(&sdev->evt_lock);
		got = sst_event_ring_pop(&sdev->ring, &ev);
		spin_unlock_irq(&sdev->evt_lock);
		if (!got)
			return READ_ONCE(sdev->dead) ? -ENODEV : -EAGAIN;
		/* An event lost to a bad pointer is the caller's problem, not re-queued. */
		return copy_to_user(uarg, &ev, sizeof(ev)) ? -EFAULT : 0;
	}
	case SST_IOCTL_SUBMIT:
	case SST_IOCTL_WAIT:
	case SST_IOCTL_CALL: {
		bool nonblock = file->f_flags & O_NONBLOCK;
		int err = 0;

		mutex_lock(&sf->lock);
		if (cmd != SST_IOCTL_WAIT)
			err = sst_map_submit(sf, nonblock);
		if (!err && cmd != SST_IOCTL_SUBMIT) {
			err = sst_map_wait(sf, nonblock && cmd == SST_IOCTL_WAIT);
			/* A restarted CALL would submit again (-EBUSY): the caller WAITs instead. */
			if (cmd == SST_IOCTL_CALL && err == -ERESTARTSYS)
				err = -EINTR;
		}
		mutex_unlock(&sf->lock);
		return err;
	}
	case SST_IOCTL_REGISTER_EVENT_BUF:
		return sst_register_event_buf(sf, uarg);
	case SST_IOCTL_BATCH:
		return sst_batch(sf, arg);
	case SST_IOCTL_BATCH_MAPPED:
		return sst_batch_mapped(sf, arg);
	case SST_IOCTL_EVENT_BUF_DROPPED: {
		u64 dropped;

		spin_lock_irq(&sdev->evt_lock);
		dropped = sf->evq_dropped;
		spin_unlock_irq(&sdev->evt_lock);
		return put_user(dropped, (__u64 __user *)uarg);
	}
	case SST_IOCTL_LOCK:
		return sst_lock(sdev, file);
	case SST_IOCTL_UNLOCK:
		sst_unlock(sdev, file);
		return 0;
	case SST_IOCTL_LAST_REQUEST_ID: {
		u64 id;

		mutex_lock(&sf->lock);
		id = sf->last_id;
		mutex_unlock(&sf->lock);
		return put_user(id, (__u64 __user *)uarg);
	}
	default:
		return -ENOTTY;
	}
}

static const struct file_operations sst_fops = {
	.owner = THIS_MODULE,
	.open = sst_open,
	.release = sst_release,
	.read = sst_read,
	.write = sst_write,
	.poll = sst_poll,
	.unlocked_ioctl = sst_ioctl,
	.mmap = sst_mmap,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

/*
 * ---- self-test: insmod virtio-sst.ko test_mode=1, echo 1 > /sys/module/virtio_sst/parameters/run_tests ----
 *
 * Requests the driver makes itself, through the same submission and completion paths as an app's,
 * each checked against what the protocol promises.  The results go to the kernel log (one line per
 * test), to /sys/class/sst/sstN/self_test and, over all devices, to the run_tests parameter.
 */
static bool test_mode;
module_param(test_mode, bool, 0444);
MODULE_PARM_DESC(test_mode, "Run the self-test on each device as it is probed (default 0)");

static DEFINE_MUTEX(sst_selftest_lock); /* one self-test at a time; guards the summary */
static char sst_selftest_summary[160] = "not run";

struct sst_selftest {
	const char *name;
	unsigned int feature; /* VIRTIO_SST_F_* the test needs, or SST_SELFTEST_ANY */
	void (*prepare)(struct SSTRequest *req);
	/* NULL if an OK response (sst_selftest_one checks the status) is also right, else why not */
	const char *(*check)(const struct SSTRequest *req, const struct SSTResponse *resp);
};
#define SST_SELFTEST_ANY (~0u)
#define SST_SELFTEST_ECHO_LEN 200

static void sst_st_noop(struct SSTRequest *req)
{
	req->type = SST_REQ_NOOP;
	req->user_data = 0x5e1f7e57ull;
}

static const char *sst_st_check_user_data(const struct SSTRequest *req, const struct SSTResponse *resp)
{
	return resp->user_data == req->user_data ? NULL : "user_data not echoed";
}

static void sst_st_echo(struct SSTRequest *req)
{
	unsigned int i;

	req->type = SST_REQ_ECHO;
	req->data_len = SST_SELFTEST_ECHO_LEN;
	for (i = 0; i < SST_SELFTEST_ECHO_LEN; i++)
		req->payload.data[i] = (u8)(i * 7 + 1);
}

static const char *sst_st_check_echo(const struct SSTRequest *req, const struct SSTResponse *resp)
{
	if (resp->result != SST_SELFTEST_ECHO_LEN)
		return "wrong length echoed";
	return memcmp(resp->payload.data, req->payload.data, SST_SELFTEST_ECHO_LEN) ? "echoed bytes differ" : NULL;
}

static void sst_st_info(struct SSTRequest *req)
{
	req->type = SST_REQ_GET_INFO;
}

static const char *sst_st_check_info(const struct SSTRequest *req, const struct SSTResponse *resp)
{
	return resp->payload.info.version == SST_PROTOCOL_VERSION ? NULL : "protocol version differs";
}

static void sst_st_compute(struct SSTRequest *req)
{
	req->type = SST_REQ_COMPUTE;
	req->payload.compute.compute_units = 1000;
	req->payload.compute.latency_model = SST_LATENCY_LINEAR;
}

static const char *sst_st_check_compute(const struct SSTRequest *req, const struct SSTResponse *resp)
{
	if (resp->result != req->payload.compute.compute_units)
		return "not every unit was computed";
	return resp->payload.compute.cycles ? NULL : "no modelled cycles";
}

static void sst_st_read(struct SSTRequest *req)
{
	req->type = SST_REQ_READ;
	req->payload.memory.addr = 0;
	req->payload.memory.size = 64;
}

static const char *sst_st_check_read(const struct SSTRequest *req, const struct SSTResponse *resp)
{
	return resp->result == req->payload.memory.size ? NULL : "wrong length read";
}

static const struct sst_selftest sst_selftests[] = {
	{ "noop", SST_SELFTEST_ANY, sst_st_noop, sst_st_check_user_data },
	{ "echo", SST_SELFTEST_ANY, sst_st_echo, sst_st_check_echo },
	{ "get_info", SST_SELFTEST_ANY, sst_st_info, sst_st_check_info },
	{ "compute", VIRTIO_SST_F_COMPUTE, sst_st_compute, sst_st_check_compute },
	{ "memory_read", VIRTIO_SST_F_MEMORY, sst_st_read, sst_st_check_read },
};

/* One test's request through the device; NULL if it passed, else why not. */
static const char *sst_selftest_one(struct sst_dev *sdev, const struct sst_selftest *t, u64 *last_id)
{
	struct sst_ctx *ctx = sst_ctx_alloc();
	const char *why = NULL;
	int err;

	if (!ctx)
		return "out of memory";
	t->prepare(ctx->req);
	err = sst_submit(sdev, ctx, false);
	if (!err && !wait_for_completion_timeout(&ctx->done, msecs_to_jiffies(READ_ONCE(timeout_ms))))
		err = -ETIMEDOUT; /* the device keeps its reference: the context is freed when it answers */
	if (!err)
		err = sst_ctx_result(sdev, ctx);
	if (err == -ETIMEDOUT)
		why = "no response within timeout_ms";
	else if (err)
		why = "the request failed";
	else if (ctx->resp->request_id != ctx->id)
		why = "the response answers another request";
	else if (ctx->id == 0 || ctx->id == *last_id)
		why = "request ids are not unique";
	else if (ctx->resp->status != SST_STATUS_OK)
		why = "status is not OK";
	else
		why = t->check(ctx->req, ctx->resp);
	*last_id = ctx->id;
	sst_ctx_put(ctx);
	return why;
}

/* Runs every test on one device; returns the number that failed.  sst_selftest_lock held. */
static unsigned int sst_selftest_device(struct sst_dev *sdev, unsigned int *ran)
{
	struct device *dev = &sdev->vdev->dev;
	unsigned int i, failed = 0, n = 0;
	const char *first_failure = NULL;
	struct SSTRequest bad = { .type = SST_REQ_TYPE_COUNT };
	u64 last_id = 0;

	for (i = 0; i < ARRAY_SIZE(sst_selftests); i++) {
		const struct sst_selftest *t = &sst_selftests[i];
		const char *why;

		if (t->feature != SST_SELFTEST_ANY && !(sdev->negotiated & BIT_ULL(t->feature))) {
			dev_info(dev, "self-test %s: skipped (feature %u not offered)\n", t->name, t->feature);
			continue;
		}
		n++;
		why = sst_selftest_one(sdev, t, &last_id);
		if (why) {
			failed++;
			first_failure = first_failure ? first_failure : t->name;
			dev_err(dev, "self-test %s: FAILED: %s\n", t->name, why);
		} else {
			dev_info(dev, "self-test %s: ok\n", t->name);
		}
	}
	/* The driver's own check refuses what the device must never see. */
	n++;
	if (sst_request_check(&bad, sizeof(bad), NULL) == SST_STATUS_OK) {
		failed++;
		first_failure = first_failure ? first_failure : "invalid_refused";
		dev_err(dev, "self-test invalid_refused: FAILED: an unknown request type passed the check\n");
	} else {
		dev_info(dev, "self-test invalid_refused: ok\n");
	}
	if (failed)
		scnprintf(sdev->self_test, sizeof(sdev->self_test), "FAILED %u/%u (first: %s)", n - failed, n,
			  first_failure);
	else
		scnprintf(sdev->self_test, sizeof(sdev->self_test), "passed %u/%u", n, n);
	dev_info(dev, "self-test: %s\n", sdev->self_test);
	*ran += n;
	return failed;
}

static void sst_selftest_summarise(unsigned int devices, unsigned int ran, unsigned int failed)
{
	if (!devices)
		strscpy(sst_selftest_summary, "FAILED: no virtio-sst device", sizeof(sst_selftest_summary));
	else if (failed)
		scnprintf(sst_selftest_summary, sizeof(sst_selftest_summary), "FAILED %u/%u on %u device(s)",
			  ran - failed, ran, devices);
	else
		scnprintf(sst_selftest_summary, sizeof(sst_selftest_summary), "passed %u/%u on %u device(s)", ran,
			  ran, devices);
	pr_info("self-test: %s\n", sst_selftest_summary);
}


/* run_tests: every device now.  -ENODEV without one, -EIO if a test failed. */
static int sst_selftest_all(void)
{
	struct sst_dev *devs[SST_MAX_DEVICES];
	unsigned int i, n = 0, ran = 0, failed = 0;

	mutex_lock(&sst_table_lock);
	for (i = 0; i < SST_MAX_DEVICES; i++) {
		if (sst_table[i]) {
			kref_get(&sst_table[i]->ref);
			devs[n++] = sst_table[i];
		}
	}
	mutex_unlock(&sst_table_lock);
	mutex_lock(&sst_selftest_lock);
	for (i = 0; i < n; i++) {
		if (!READ_ONCE(devs[i]->dead))
			failed += sst_selftest_device(devs[i], &ran);
		sst_dev_put(devs[i]);
	}
	sst_selftest_summarise(n, ran, failed);
	mutex_unlock(&sst_selftest_lock);
	return !n ? -ENODEV : failed ? -EIO : 0;
}

static int sst_run_tests_set(const char *val, const struct kernel_param *kp)
{
	bool run;
	int err = kstrtobool(val, &run);

	if (err)
		return err;
	return run ? sst_selftest_all() : 0;
}

static int sst_run_tests_get(char *buf, const struct kernel_param *kp)
{
	int len;

	mutex_lock(&sst_selftest_lock);
	len = scnprintf(buf, PAGE_SIZE, "%s\n", sst_selftest_summary);
	mutex_unlock(&sst_selftest_lock);
	return len;
}

static const struct kernel_param_ops sst_run_tests_ops = {
	.set = sst_run_tests_set,
	.get = sst_run_tests_get,
};
module_param_cb(run_tests, &sst_run_tests_ops, NULL, 0644);
MODULE_PARM_DESC(run_tests, "Write 1: run the self-test on every device; read: the last result");

/* ---- sysfs: /sys/class/sst/sstN/{requests,responses,...} ---- */

#define SST_COUNTER_ATTR(name)                                                                   \
	static ssize_t name##_show(struct device *d, struct device_attribute *a, char *buf)     \
	{                                                                                        \
		struct sst_dev *sdev = dev_get_drvdata(d);                                       \
		return sysfs_emit(buf, "%lld\n", (long long)atomic64_read(&sdev->name));         \
	}                                                                                        \
	static DEVICE_ATTR_RO(name)

SST_COUNTER_ATTR(requests);
SST_COUNTER_ATTR(responses);
SST_COUNTER_ATTR(events);
SST_COUNTER_ATTR(errors);
SST_COUNTER_ATTR(timeouts);
SST_COUNTER_ATTR(events_dropped);
SST_COUNTER_ATTR(in_flight);

/* A read-only attribute showing one unsigned field of struct sst_dev. */
#define SST_U32_ATTR(name, field)                                                              \
	static ssize_t name##_show(struct device *d, struct device_attribute *a, char *buf)     \
	{                                                                                        \
		struct sst_dev *sdev = dev_get_drvdata(d);                                       \
		return sysfs_emit(buf, "%u\n", sdev->field);                                     \
	}                                                                                        \
	static DEVICE_ATTR_RO(name)

SST_U32_ATTR(sst_device_id, cfg_device_id);
SST_U32_ATTR(version, cfg_version);
SST_U32_ATTR(request_queues, nreqq);

static ssize_t features_show(struct device *d, struct device_attribute *a, char *buf)
{
	struct sst_dev *sdev = dev_get_drvdata(d);

	return sysfs_emit(buf, "0x%llx\n", (unsigned long long)sdev->cfg_features);
}
static DEVICE_ATTR_RO(features);


/* Requests submitted on each request queue, in queue order. */
static ssize_t queue_requests_show(struct device *d, struct device_attribute *a, char *buf)
{
	struct sst_dev *sdev = dev_get_drvdata(d);
	ssize_t len = 0;
	unsigned int i;

	for (i = 0; i < sdev->nreqq; i++) {
		u64 n;

		spin_lock_irq(&sdev->reqq[i].lock);
		n = sdev->reqq[i].submitted;
		spin_unlock_irq(&sdev->reqq[i].lock);
		len += sysfs_emit_at(buf, len, "%s%llu", i ? " " : "", (unsigned long long)n);
	}
	return len + sysfs_emit_at(buf, len, "\n");
}
static DEVICE_ATTR_RO(queue_requests);

static ssize_t self_test_show(struct device *d, struct device_attribute *a, char *buf)
{
	struct sst_dev *sdev = dev_get_drvdata(d);
	ssize_t len;

	mutex_lock(&sst_selftest_lock);
	len = sysfs_emit(buf, "%s\n", sdev->self_test);
	mutex_unlock(&sst_selftest_lock);
	return len;
}
static DEVICE_ATTR_RO(self_test);

static struct attribute *sst_attrs[] = {
	&dev_attr_requests.attr,   &dev_attr_responses.attr,      &dev_attr_events.attr,
	&dev_attr_errors.attr,     &dev_attr_timeouts.attr,       &dev_attr_events_dropped.attr,
	&dev_attr_in_flight.attr,  &dev_attr_sst_device_id.attr,  &dev_attr_version.attr,
	&dev_attr_features.attr,   &dev_attr_self_test.attr,      &dev_attr_request_queues.attr,
	&dev_attr_queue_requests.attr, NULL,
};
ATTRIBUTE_GROUPS(sst);

/* ---- probe / remove ---- */

static int sst_post_event_bufs(struct sst_dev *sdev)
{
	struct scatterlist sg;
	int i, err = 0;

	spin_lock_irq(&sdev->evt_lock);
	for (i = 0; i < SST_EVENT_BUFS; i++) {
		sg_init_one(&sg, &sdev->evt_bufs[i], sizeof(struct SSTEvent));
		err = virtqueue_add_inbuf(sdev->evt_vq, &sg, 1, &sdev->evt_bufs[i], GFP_ATOMIC);
		if (err)
			break;
	}
	virtqueue_kick(sdev->evt_vq);
	spin_unlock_irq(&sdev->evt_lock);
	return i ? 0 : err;
}

static void sst_reclaim(struct sst_dev *sdev)
{
	struct sst_ctx *ctx;

	unsigned int i;

	for (i = 0; i < sdev->nreqq; i++) {
		struct sst_reqq *q = &sdev->reqq[i];

		spin_lock_irq(&q->lock);
		while ((ctx = virtqueue_detach_unused_buf(q->vq)) != NULL) {
			list_del_init(&ctx->node);
			atomic64_dec(&sdev->in_flight);
			ctx->err = -ENODEV;
			sst_ctx_finish(ctx);
			sst_ctx_put(ctx);
		}
		WARN_ON(!list_empty(&q->inflight));
		spin_unlock_irq(&q->lock);
	}

	spin_lock_irq(&sdev->evt_lock);
	while (virtqueue_detach_unused_buf(sdev->evt_vq))
		;
	spin_unlock_irq(&sdev->evt_lock);
}

/* Marks the device gone (no new submissions, callbacks become no-ops), stops it and takes back
 * every buffer it owned, failing their waiters. */
static void sst_stop_device(struct sst_dev *sdev)
{
	unsigned int i;

	/* Each queue's lock in turn: a submission that saw dead false has finished adding by the time
	 * we pass its queue, and sst_reclaim takes its request back. */
	for (i = 0; i < sdev->nreqq; i++) {
		spin_lock_irq(&sdev->reqq[i].lock);
		sdev->dead = true;
		spin_unlock_irq(&sdev->reqq[i].lock);
	}
	spin_lock_irq(&sdev->evt_lock);
	sdev->evt_dead = true;
	spin_unlock_irq(&sdev->evt_lock);
	virtio_reset_device(sdev->vdev);
	sst_reclaim(sdev);
}

static int sst_probe(struct virtio_device *vdev)
{
#define SST_MAX_VQS (VIRTIO_SST_NUM_QUEUES + VIRTIO_SST_MAX_REQUEST_QUEUES - 1)
	static const char * const names[SST_MAX_VQS] = { "request", "response", "event", "request1", "request2",
							  "request3", "request4", "request5", "request6", "request7" };
	vq_callback_t *callbacks[SST_MAX_VQS] = { sst_req_done, NULL, sst_evt_done };
	struct virtqueue *vqs[SST_MAX_VQS];
	struct sst_dev *sdev;
	unsigned int minor, i, nvqs;
	int err;

	BUILD_BUG_ON(VIRTIO_SST_VQ_EXTRA_REQUEST != VIRTIO_SST_NUM_QUEUES);

	if (!vdev->config->get) {
		dev_err(&vdev->dev, "config access disabled\n");
		return -EINVAL;
	}
	sdev = kzalloc(sizeof(*sdev), GFP_KERNEL);
	if (!sdev)
		return -ENOMEM;
	kref_init(&sdev->ref);
	sdev->vdev = vdev;
	spin_lock_init(&sdev->id_lock);
	spin_lock_init(&sdev->evt_lock);
	INIT_LIST_HEAD(&sdev->evt_listeners);
	sdev->ring = (struct sst_event_ring){ .slot = sdev->ring_slots, .size = SST_EVENT_RING_SIZE };
	strscpy(sdev->self_test, "not run", sizeof(sdev->self_test));
	init_waitqueue_head(&sdev->space_wq);
	init_waitqueue_head(&sdev->poll_wq);
	spin_lock_init(&sdev->lock_lock);
	init_waitqueue_head(&sdev->lock_wq);
	sdev->next_id = first_request_id;
	vdev->priv = sdev;

	sdev->cfg_version = virtio_cread32(vdev, offsetof(struct virtio_sst_config, version));
	sdev->cfg_device_id = virtio_cread32(vdev, offsetof(struct virtio_sst_config, device_id));
	sdev->cfg_features = virtio_cread64(vdev, offsetof(struct virtio_sst_config, features));
	sdev->cfg_num_queues = virtio_cread32(vdev, offsetof(struct virtio_sst_config, num_queues));
	sdev->cfg_max_data = virtio_cread32(vdev, offsetof(struct virtio_sst_config, max_data_size));
	sdev->negotiated = vdev->features & GENMASK_ULL(23, 0);
	if (sdev->cfg_version != SST_PROTOCOL_VERSION)
		dev_warn(&vdev->dev, "protocol version %u, driver speaks %u\n", sdev->cfg_version,
			 SST_PROTOCOL_VERSION);

	sdev->evt_bufs = kcalloc(SST_EVENT_BUFS, sizeof(struct SSTEvent), GFP_KERNEL);
	if (!sdev->evt_bufs) {
		err = -ENOMEM;
		goto err_free;
	}

	/* One request queue per CPU, as many as the device has (VIRTIO_SST_F_MQ). */
	sdev->nreqq = 1;
	if (virtio_has_feature(vdev, VIRTIO_SST_F_MQ))
		sdev->nreqq = clamp_t(u32, virtio_cread32(vdev, offsetof(struct virtio_sst_config, num_request_queues)),
				      1, min_t(u32, nr_cpu_ids, VIRTIO_SST_MAX_REQUEST_QUEUES));
	nvqs = VIRTIO_SST_NUM_QUEUES + sdev->nreqq - 1;
	for (i = VIRTIO_SST_VQ_EXTRA_REQUEST; i < nvqs; i++)
		callbacks[i] = sst_req_done;
	err = virtio_find_vqs(vdev, nvqs, vqs, callbacks, names, NULL);
	if (err)
		goto err_free;
	for (i = 0; i < sdev->nreqq; i++) {
		struct sst_reqq *q = &sdev->reqq[i];

		q->vq = vqs[virtio_sst_request_vq(i)];
		spin_lock_init(&q->lock);
		INIT_LIST_HEAD(&q->inflight);
	}
	sdev->resp_vq = vqs[VIRTIO_SST_VQ_RESPONSE];
	sdev->evt_vq = vqs[VIRTIO_SST_VQ_EVENT];

	mutex_lock(&sst_table_lock);
	for (minor = 0; minor < SST_MAX_DEVICES && sst_table[minor]; minor++)
		;
	if (minor == SST_MAX_DEVICES) {
		mutex_unlock(&sst_table_lock);
		err = -EBUSY;
		goto err_vqs;
	}
	sdev->minor = minor;
	sst_table[minor] = sdev; /* no cdev yet, so nobody can open it before it is ready */
	mutex_unlock(&sst_table_lock);

	virtio_device_ready(vdev);
	err = sst_post_event_bufs(sdev);
	if (err)
		dev_warn(&vdev->dev, "cannot post event buffers (%d)\n", err);

	sdev->cdev = cdev_alloc();
	if (!sdev->cdev) {
		err = -ENOMEM;
		goto err_table;
	}
	sdev->cdev->owner = THIS_MODULE;
	sdev->cdev->ops = &sst_fops;
	err = cdev_add(sdev->cdev, MKDEV(MAJOR(sst_devt), minor), 1);
	if (err) {
		kobject_put(&sdev->cdev->kobj);
		goto err_table;
	}
	sdev->dev = device_create_with_groups(sst_class, &vdev->dev, MKDEV(MAJOR(sst_devt), minor),
					      sdev, sst_groups, "sst%u", minor);
	if (IS_ERR(sdev->dev)) {
		err = PTR_ERR(sdev->dev);
		goto err_cdev;
	}
	dev_info(&vdev->dev, "/dev/sst%u: version %u, device_id %u, features 0x%llx, vq %u, request queues %u\n",
		 minor, sdev->cfg_version, sdev->cfg_device_id, (unsigned long long)sdev->cfg_features,
		 virtqueue_get_vring_size(sdev->reqq[0].vq), sdev->nreqq);
	if (test_mode) {
		unsigned int ran = 0, failed;

		mutex_lock(&sst_selftest_lock);
		failed = sst_selftest_device(sdev, &ran);
		sst_selftest_summarise(1, ran, failed);
		mutex_unlock(&sst_selftest_lock);
	}
	return 0;

err_cdev:
	cdev_del(sdev->cdev);
err_table:
	mutex_lock(&sst_table_lock);
	sst_table[minor] = NULL;
	mutex_unlock(&sst_table_lock);
	sst_stop_device(sdev);
err_vqs:
	vdev->config->del_vqs(vdev);
err_free:
	kfree(sdev->evt_bufs);
	sdev->evt_bufs = NULL;
	vdev->priv = NULL;
	sst_dev_put(sdev);
	return err;
}

static void sst_remove(struct virtio_device *vdev)
{
	struct sst_dev *sdev = vdev->priv;

	/* No new opens; files already open keep sdev alive through their reference. */
	mutex_lock(&sst_table_lock);
	sst_table[sdev->minor] = NULL;
	mutex_unlock(&sst_table_lock);
	device_destroy(sst_class, MKDEV(MAJOR(sst_devt), sdev->minor));
	cdev_del(sdev->cdev);

	sst_stop_device(sdev);
	vdev->config->del_vqs(vdev);
	kfree(sdev->evt_bufs);
	sdev->evt_bufs = NULL;

	wake_up_all(&sdev->space_wq);
	wake_up_all(&sdev->poll_wq);
	vdev->priv = NULL;
	sst_dev_put(sdev);
}

static const struct virtio_device_id sst_id_table[] = {
	{ VIRTIO_ID_SST, VIRTIO_DEV_ANY_ID },
	{ 0 },
};
MODULE_DEVICE_TABLE(virtio, sst_id_table);

static unsigned int sst_features[] = {
	VIRTIO_SST_F_EVENTS,
	VIRTIO_SST_F_COMPUTE,
	VIRTIO_SST_F_MEMORY,
	VIRTIO_SST_F_MQ,
};

/*
 * No indirect descriptors: a request is a chain of two, and an indirect table costs a kmalloc and a
 * kfree per request (a third of the cost of adding one to the ring, measured under TCG).
 */
static int sst_validate(struct virtio_device *vdev)
{
	__virtio_clear_bit(vdev, VIRTIO_RING_F_INDIRECT_DESC);
	return 0;
}

static struct virtio_driver sst_driver = {
	/* Kernel lines then read "virtio-sst virtioN: ...", as the module file and the docs name it
	 * (the module itself must be virtio_sst: module names have no hyphens). */
	.driver.name = "virtio-sst",
	.driver.owner = THIS_MODULE,
	.feature_table = sst_features,
	.feature_table_size = ARRAY_SIZE(sst_features),
	.id_table = sst_id_table,
	.validate = sst_validate,
	.probe = sst_probe,
	.remove = sst_remove,
};

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
static char *sst_devnode(const struct device *dev, umode_t *mode)
#else
static char *sst_devnode(struct device *dev, umode_t *mode)
#endif
{
	if (mode)
		*mode = 0666;
	return NULL;
}

static int __init sst_init(void)
{
	int err;

	sst_wq = alloc_workqueue("virtio_sst", 0, 0);
	if (!sst_wq)
		return -ENOMEM;
	err = alloc_chrdev_region(&sst_devt, 0, SST_MAX_DEVICES, "sst");
	if (err) {
		destroy_workqueue(sst_wq);
		return err;
	}
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	sst_class = class_create("sst");
#else
	sst_class = class_create(THIS_MODULE, "sst");
#endif
	if (IS_ERR(sst_class)) {
		err = PTR_ERR(sst_class);
		goto err_region;
	}
	sst_class->devnode = sst_devnode;
	err = register_virtio_driver(&sst_driver);
	if (err)
		goto err_class;
	return 0;

err_class:
	class_destroy(sst_class);
err_region:
	unregister_chrdev_region(sst_devt, SST_MAX_DEVICES);
	destroy_workqueue(sst_wq);
	return err;
}

static void __exit sst_exit(void)
{
	unregister_virtio_driver(&sst_driver);
	class_destroy(sst_class);
	unregister_chrdev_region(sst_devt, SST_MAX_DEVICES);
	destroy_workqueue(sst_wq); /* after the last buffers were unpinned */
}

module_init(sst_init);
module_exit(sst_exit);

MODULE_DESCRIPTION("virtio-sst: character device for the SST co-simulation device");
MODULE_LICENSE("GPL");
