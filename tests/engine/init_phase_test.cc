// Phases: init rounds driven by untimed data, then setup, run, complete rounds and finish.

#include "engine_test_support.h"

#include <sst/core/component.h>
#include <sst/core/link.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace SST;
using EngineTest::runQuietly;
using EngineTest::wire;

namespace {

std::vector<std::string> journal;

class HopEvent : public Event {
public:
    explicit HopEvent(int hops) : hops(hops) {}
    int hops;
};

// A chain member: the head sends untimed data in init(0) and complete(0); every member that
// receives some passes it on in the same phase.  Everything seen goes to the journal.
class ChainNode : public Component {
public:
    SST_ELI_REGISTER_COMPONENT(ChainNode, "utest_phase", "node", SST_ELI_ELEMENT_VERSION(1, 0, 0), "",
                               COMPONENT_CATEGORY_UNCATEGORIZED)
    SST_ELI_DOCUMENT_PARAMS({"head", "", "false"})
    SST_ELI_DOCUMENT_PORTS({"in", "", {}}, {"out", "", {}})

    ChainNode(ComponentId_t id, Params& params) : Component(id) {
        head_ = params.find<bool>("head", false);
        in_ = connect("in");
        out_ = connect("out");
    }

    // An unconnected port leaves its handler to the caller, as in SST.
    Link* connect(const std::string& port) {
        auto* handler = new Event::Handler<ChainNode, &ChainNode::handle>(this);
        Link* link = configureLink(port, handler);
        if (link == nullptr)
            delete handler;
        return link;
    }

    void init(unsigned phase) override { relay("init", phase); }
    void complete(unsigned phase) override { relay("complete", phase); }
    void setup() override { journal.push_back(getName() + " setup"); }
    void finish() override { journal.push_back(getName() + " finish"); }

private:
    void relay(const std::string& what, unsigned phase) {
        if (head_ && phase == 0)
            out_->sendUntimedData(new HopEvent(0));
        if (!in_)
            return;
        while (Event* ev = in_->recvUntimedData()) {
            auto* hop = static_cast<HopEvent*>(ev);
            journal.push_back(getName() + " " + what + "(" + std::to_string(phase) + ") got hop " +
                              std::to_string(hop->hops));
            if (out_)
                out_->sendUntimedData(new HopEvent(hop->hops + 1));
            delete hop;
        }
    }

    void handle(Event* ev) { delete ev; }

    bool head_;
    Link* in_;
    Link* out_;
};

}  // namespace

TEST(Phases, UntimedDataSentInOnePhaseArrivesInTheNextAndRoundsStopWhenQuiet) {
    journal.clear();
    Core::ConfigGraph graph;
    auto& n0 = graph.addComponent("n0", "utest_phase.node");
    n0.addParam("head", "true");
    auto& n1 = graph.addComponent("n1", "utest_phase.node");
    auto& n2 = graph.addComponent("n2", "utest_phase.node");
    wire(graph, n0.id, "out", "1ns", n1.id, "in", "1ns");
    wire(graph, n1.id, "out", "1ns", n2.id, "in", "1ns");

    const auto report = runQuietly(graph);
    const std::vector<std::string> expected = {
        "n1 init(1) got hop 0",     "n2 init(2) got hop 1",     "n0 setup",  "n1 setup",  "n2 setup",
        "n1 complete(1) got hop 0", "n2 complete(2) got hop 1", "n0 finish", "n1 finish", "n2 finish",
    };
    EXPECT_EQ(journal, expected);
    EXPECT_EQ(report.init_phases, 3u);  // phase 2 sent nothing
    EXPECT_EQ(report.complete_phases, 3u);
}
