#include <sst/core/sst_config.h>

#include "compute_model.h"

#include <cinttypes>

namespace QemuSst {

ComputeModel::ComputeModel(SST::ComponentId_t id, SST::Params& params) : SST::Component(id) {
    out_.init("@t:" + getName() + ": ", params.find<uint32_t>("verbose", 0), 0, SST::Output::STDERR);
    period_ps_ = registerTimeBase(params.find<std::string>("clock", "1GHz"), true).getFactor();
    const std::string model = params.find<std::string>("latency_model", "linear");
    if (model == "fixed") {
        params_.model = SST_LATENCY_FIXED;
    } else if (model == "linear") {
        params_.model = SST_LATENCY_LINEAR;
    } else if (model == "pipelined") {
        params_.model = SST_LATENCY_PIPELINED;
    } else {
        out_.fatal(CALL_INFO, 1, "latency_model must be fixed, linear or pipelined, not '%s'\n", model.c_str());
    }
    params_.base_latency = params.find<uint64_t>("base_latency", 10);
    params_.cycles_per_unit = params.find<uint64_t>("cycles_per_unit", 2);
    params_.lanes = params.find<uint64_t>("lanes", 4);
    if (params_.lanes == 0) {
        out_.fatal(CALL_INFO, 1, "lanes must be at least 1\n");
    }
    max_in_flight_ = params.find<unsigned>("max_in_flight", 4);
    if (max_in_flight_ == 0) {
        out_.fatal(CALL_INFO, 1, "max_in_flight must be at least 1\n");
    }
    current_ = params_;

    link_ = configureLink("device_port", new SST::Event::Handler<ComputeModel, &ComputeModel::handleRequest>(this));
    if (!link_) {
        out_.fatal(CALL_INFO, 1, "port device_port is not connected: the model cannot receive requests\n");
    }
    done_link_ = configureSelfLink("done", new SST::Event::Handler<ComputeModel, &ComputeModel::handleDone>(this));

    stat_requests_ = registerStatistic<uint64_t>("requests");
    stat_busy_cycles_ = registerStatistic<uint64_t>("busy_cycles");
    stat_queue_waits_ = registerStatistic<uint64_t>("queue_waits");
}

uint64_t ComputeModel::cycles(const Settings& s, uint32_t model, uint64_t units) {
    switch (model) {
    case SST_LATENCY_FIXED: return s.base_latency;
    case SST_LATENCY_PIPELINED: {
        const uint64_t lanes = s.lanes ? s.lanes : 1;
        return s.base_latency + (units + lanes - 1) / lanes * s.cycles_per_unit;
    }
    case SST_LATENCY_LINEAR:
    default: return s.base_latency + units * s.cycles_per_unit;
    }
}

void ComputeModel::handleRequest(SST::Event* ev) {
    if (auto* cfg = dynamic_cast<ComputeConfigEvent*>(ev)) {
        switch (cfg->key) {
        case ComputeConfigEvent::kRestoreDefaults: current_ = params_; break;
        case SST_CONFIG_LATENCY_MODEL: current_.model = uint32_t(cfg->value); break;
        case SST_CONFIG_BASE_LATENCY: current_.base_latency = cfg->value; break;
        case SST_CONFIG_CYCLES_PER_UNIT: current_.cycles_per_unit = cfg->value; break;
        case SST_CONFIG_LANES: current_.lanes = cfg->value ? cfg->value : 1; break;
        default: out_.verbose(CALL_INFO, 1, 0, "ignoring unknown configuration key %u\n", cfg->key);
        }
        delete cfg;
        return;
    }
    auto* req = dynamic_cast<ComputeRequestEvent*>(ev);
    if (!req) {
        out_.fatal(CALL_INFO, 1, "unexpected event on device_port\n");
    }
    const uint32_t model =
        req->latency_model == ComputeRequestEvent::kDefaultModel ? current_.model : req->latency_model;
    const Waiting w{req->tag, req->units, model, getCurrentSimCycle()};
    delete req;
    if (in_flight_ < max_in_flight_) {
        start(w);
    } else {
        out_.verbose(CALL_INFO, 1, 0, "request %" PRIu64 " queued behind %u in flight\n", w.tag, in_flight_);
        queue_.push_back(w);
    }
}

void ComputeModel::start(const Waiting& w) {
    const uint64_t c = cycles(current_, w.model, w.units);
    in_flight_++;
    out_.verbose(CALL_INFO, 1, 0, "request %" PRIu64 ": %" PRIu64 " units, model %u, %" PRIu64 " cycles\n", w.tag,
                 w.units, w.model, c);
    stat_busy_cycles_->addData(c);
    done_link_->send(c, new ComputeResponseEvent(w.tag, w.units, c, 0));
}

void ComputeModel::handleDone(SST::Event* ev) {
    auto* done = static_cast<ComputeResponseEvent*>(ev);
    done->timestamp_ps = getCurrentSimCycle();
    in_flight_--;
    stat_requests_->addData(1);
    link_->send(done);
    if (!queue_.empty()) {
        const Waiting w = queue_.front();
        queue_.pop_front();
        stat_queue_waits_->addData((getCurrentSimCycle() - w.arrived_ps) / period_ps_);
        start(w);
    }
}

}  // namespace QemuSst
