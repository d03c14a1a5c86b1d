// The transaction type registry: one line per type.
#include "consensus/tx/transfer.h"
#include "consensus/tx/tx_type.h"

namespace cairn::consensus {

const std::vector<const TxType*>& AllTxTypes() {
    static const TransferTx transfer;
    static const std::vector<const TxType*> types{&transfer};
    return types;
}

const TxType* FindTxType(uint64_t id) {
    for (const TxType* t : AllTxTypes())
        if (t->Id() == id) return t;
    return nullptr;
}

const TxType* FindTxType(std::string_view name) {
    for (const TxType* t : AllTxTypes())
        if (t->Name() == name) return t;
    return nullptr;
}

}  // namespace cairn::consensus
