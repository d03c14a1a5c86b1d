#include "params.h"

namespace cairn::consensus {

ChainParams DefaultParams(Network n) {
    ChainParams p;
    p.network = n;
    p.network_id = GetNetworkInfo(n).default_network_id;
    return p;
}

}  // namespace cairn::consensus
