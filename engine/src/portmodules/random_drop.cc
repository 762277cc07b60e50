// SST 16's built-in sst.portmodules.random_drop: drops each event it sees with probability
// drop_prob.  The draws come from the same generator, seeded the same way, one per event, so a
// configuration drops the same events as under sst-core.

#include "sst/core/event.h"
#include "sst/core/params.h"
#include "sst/core/portModule.h"
#include "sst/core/rng/marsaglia.h"

#include <cinttypes>
#include <string>

namespace SST::Core {
namespace {

class RandomDropPortModule final : public SST::PortModule {
public:
    SST_ELI_REGISTER_PORTMODULE(RandomDropPortModule, "sst", "portmodules.random_drop",
                                SST_ELI_ELEMENT_VERSION(0, 1, 0),
                                "Port module that will randomly drop events based on specified probability")

    SST_ELI_DOCUMENT_PARAMS({"drop_prob", "Probability to drop event", "0.01"},
                            {"drop_on_send",
                             "Controls whether to drop packets during the send versus the default of on the receive",
                             "false"},
                            {"rngseed", "Set a seed for the random number generator used to control drops", "7"},
                            {"verbose", "Debugging output", "false"})

    SST_ELI_DOCUMENT_STATISTICS({"dropped", "Counts number of events that are dropped", "events", 1},
                                {"observed", "Counts number of events that are observed, including any dropped",
                                 "events", 1})

    explicit RandomDropPortModule(Params& params) : rng_(7, 13) {
        // sst-core reseeds with (rngseed, 13); the second word stays fixed.
        rng_.restart(params.find<uint32_t>("rngseed", 7), 13);
        drop_prob_ = params.find<double>("drop_prob", 0.01);
        verbose_ = params.find<bool>("verbose", false);
        drop_on_send_ = params.find<bool>("drop_on_send", false);
        dropped_ = registerStatistic<uint64_t>("dropped");
        observed_ = registerStatistic<uint64_t>("observed");
    }

    bool installOnReceive() override { return !drop_on_send_; }
    bool installOnSend() override { return drop_on_send_; }

    uintptr_t registerLinkAttachTool(const AttachPointMetaData& mdata) override {
        noteWhere(mdata);
        return 0;
    }
    uintptr_t registerHandlerIntercept(const AttachPointMetaData& mdata) override {
        noteWhere(mdata);
        return 0;
    }

    void eventSent(uintptr_t, Event*& ev) override {
        if (drawDrop("send")) {
            delete ev;
            ev = nullptr;
        }
        observed_->addData(1);
    }

    void interceptHandler(uintptr_t, Event*& data, bool& cancel) override {
        cancel = drawDrop("receive");
        if (cancel) {
            delete data;
            data = nullptr;
        }
        observed_->addData(1);
    }

private:
    void noteWhere(const AttachPointMetaData& mdata) {
        if (const auto* md = dynamic_cast<const EventHandlerMetaData*>(&mdata))
            where_ = md->comp_name + "/" + md->port_name;
    }

    bool drawDrop(const char* side) {
        if (!(rng_.nextUniform() < drop_prob_))
            return false;
        if (verbose_)
            getSimulationOutput().output("(%" PRIu64 ") %s: Dropping event on %s\n", getCurrentSimCycle(),
                                         where_.c_str(), side);
        dropped_->addData(1);
        return true;
    }

    SST::RNG::MarsagliaRNG rng_;
    double drop_prob_ = 0.01;
    bool verbose_ = false;
    bool drop_on_send_ = false;
    std::string where_;
    Statistic<uint64_t>* dropped_ = nullptr;
    Statistic<uint64_t>* observed_ = nullptr;
};

}  // namespace
}  // namespace SST::Core
