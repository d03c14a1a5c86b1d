// The transaction type registry: one line per type.
#include "consensus/tx/compute_txs.h"
#include "consensus/tx/device_txs.h"
#include "consensus/tx/transfer.h"
#include "consensus/tx/tx_type.h"

namespace cairn::consensus {

const std::vector<const TxType*>& AllTxTypes() {
    static const TransferTx transfer;
    static const RegisterDeviceTx register_device;
    static const AssertLocationTx assert_location;
    static const TransferDeviceTx transfer_device;
    static const SetComputeTierTx set_compute_tier;
    static const ReactivateComputeTx reactivate_compute;
    static const std::vector<const TxType*> types{&transfer,         &register_device,
                                                  &assert_location,  &transfer_device,
                                                  &set_compute_tier, &reactivate_compute};
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
