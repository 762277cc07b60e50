/*
 * Test stand-in for the simulator side of one virtio-sst-device channel (qemu-sst), on
 * transport/mmio_endpoint.c.  Used by run.sh with virtio_test.c; not part of QEMU (build-qemu.sh
 * copies everything under qemu/ into QEMU's tree, where nothing builds this file).
 *
 *   fake_sim SOCKET fast|det LATENCY_PS QUANTUM_PS DIE_AT
 *
 * Serves VIRTIO_REQUESTs: ECHO copies data_len bytes back, COMPUTE answers units * 10 cycles and,
 * with SST_REQ_FLAG_NOTIFY, also posts an SST_EVENT_COMPLETION at request time + latency; others
 * answer OK.  Every response has latency LATENCY_PS.  In det mode each SYNC(t) is granted up to
 * t + QUANTUM_PS.  The DIE_AT-th request (1-based, 0 = never) is not answered: the process exits,
 * as a crashed simulator would.  Logs every frame on stdout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mmio_endpoint.h"
#include "qemu-sst/virtio_protocol.h"

int main(int argc, char **argv)
{
    struct sst_mmio_endpoint ep;
    struct sst_mmio_hello hello;
    struct sst_mmio_hello_ack ack = {0};
    struct sst_virtio_frame f;
    static struct sst_mmio_virtio_response r;
    unsigned long long latency, quantum, die_at, nreq = 0, nsync = 0;
    int lfd, fd, det;

    if (argc != 6) {
        fprintf(stderr, "usage: %s SOCKET fast|det LATENCY_PS QUANTUM_PS DIE_AT\n", argv[0]);
        return 2;
    }
    det = strcmp(argv[2], "det") == 0;
    latency = strtoull(argv[3], 0, 0);
    quantum = strtoull(argv[4], 0, 0);
    die_at = strtoull(argv[5], 0, 0);
    unlink(argv[1]);
    lfd = sst_ep_listen(argv[1]);
    if (lfd < 0 || (fd = sst_ep_accept(lfd, 60000)) < 0) {
        perror("fake_sim: listen/accept");
        return 1;
    }
    sst_ep_init(&ep, fd, SST_EP_SIMULATOR, sst_virtio_family());
    if (sst_ep_recv_hello(&ep, &hello, 10000) < 0) {
        fprintf(stderr, "fake_sim: HELLO: %s\n", ep.error);
        return 1;
    }
    printf("HELLO caps=0x%x base=0x%llx size=%llu name=%s\n", hello.capabilities,
           (unsigned long long)hello.base_address, (unsigned long long)hello.size, hello.name);
    ack.capabilities = hello.capabilities & (SST_MMIO_CAP_SHM_RING | SST_MMIO_CAP_TIME_SYNC |
                                             SST_MMIO_CAP_VIRTIO);
    ack.time_mode = det ? SST_MMIO_TIME_DETERMINISTIC : SST_MMIO_TIME_FAST;
    ack.quantum_ps = quantum;
    if (sst_ep_accept_hello(&ep, &ack, 1u << 16, 10000) < 0) {
        fprintf(stderr, "fake_sim: handshake: %s\n", ep.error);
        return 1;
    }
    fflush(stdout);
    for (;;) {
        int rc = sst_ep_wait(&ep, &f, 60000);

        if (rc == SST_EP_NOTHING) {
            printf("TIMEOUT\n");
            return 1;
        }
        if (rc == SST_EP_CLOSED) {
            printf("CLOSED %s\n", ep.error);
            return 0;
        }
        switch (f.hdr.type) {
        case SST_MMIO_SYNC:
            if (det) {
                struct sst_mmio_grant g = { .horizon_ps = f.u.sync.vtime_ps + quantum };
                sst_ep_send(&ep, SST_MMIO_GRANT, &g);
            }
            nsync++;
            break;
        case SST_MMIO_VIRTIO_REQUEST: {
            const struct sst_mmio_virtio_request *q = &f.u.virtio_request;
            const struct SSTRequest *req = &q->request;

            nreq++;
            printf("VIRTIO_REQUEST id=%llu vtime_ps=%llu length=%u type=%s request_id=%llu "
                   "user_data=0x%llx (after %llu SYNCs)\n", (unsigned long long)q->id,
                   (unsigned long long)q->vtime_ps, q->length, sst_request_type_str(req->type),
                   (unsigned long long)req->request_id, (unsigned long long)req->user_data, nsync);
            if (die_at && nreq == die_at) {
                printf("DYING without answering\n");
                fflush(stdout);
                _exit(0);
            }
            memset(&r, 0, sizeof(r));
            r.id = q->id;
            r.latency_ps = latency;
            r.response.status = SST_STATUS_OK;
            r.response.request_id = req->request_id;
            r.response.user_data = req->user_data;
            if (req->type == SST_REQ_ECHO) {
                uint32_t n = req->data_len <= SST_MAX_DATA_SIZE ? req->data_len : SST_MAX_DATA_SIZE;
                r.response.result = n;
                memcpy(r.response.payload.data, req->payload.data, n);
            } else if (req->type == SST_REQ_COMPUTE) {
                r.response.result = req->payload.compute.compute_units;
                r.response.payload.compute.cycles = req->payload.compute.compute_units * 10;
                r.response.payload.compute.timestamp = q->vtime_ps + latency;
            }
            sst_ep_send(&ep, SST_MMIO_VIRTIO_RESPONSE, &r);
            if (req->type == SST_REQ_COMPUTE && (req->flags & SST_REQ_FLAG_NOTIFY)) {
                struct sst_mmio_virtio_event e = {0};

                e.vtime_ps = q->vtime_ps + latency;
                e.event.type = SST_EVENT_COMPLETION;
                e.event.timestamp = e.vtime_ps;
                e.event.data = 0x77;
                e.event.request_id = req->request_id;
                sst_ep_send(&ep, SST_MMIO_VIRTIO_EVENT, &e);
                printf("VIRTIO_EVENT vtime_ps=%llu\n", (unsigned long long)e.vtime_ps);
            }
            break;
        }
        case SST_MMIO_GOODBYE:
            printf("GOODBYE after %llu requests, %llu SYNCs\n", nreq, nsync);
            return 0;
        default:
            printf("unexpected %s\n", sst_virtio_type_str(f.hdr.type));
            return 1;
        }
        fflush(stdout);
    }
}
