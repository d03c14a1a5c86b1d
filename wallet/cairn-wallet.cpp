// cairn-wallet: a minimal single-key wallet. It keeps one key file, signs transfers and device
// registry transactions locally and talks to cairnd only over JSON-RPC (or not at all with
// --offline), so the secret key never leaves this process.
//
// Output is meant for scripts: stdout carries only the result (an address, a txid, a hex
// transaction, a device key); every error goes to stderr with exit status 1.
#include <boost/algorithm/string/predicate.hpp>
#include <boost/program_options.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <iostream>
#include <limits>
#include <locale>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "consensus/devices/device_class.h"
#include "consensus/params.h"
#include "crypto/keys.h"
#include "primitives/address.h"
#include "primitives/amount.h"
#include "primitives/network.h"
#include "primitives/transaction.h"
#include "rpc/client.h"
#include "util/datadir.h"
#include "util/fs.h"
#include "util/result.h"
#include "util/strencodings.h"
#include "wallet/device_builder.h"
#include "wallet/keystore.h"
#include "wallet/tx_builder.h"

namespace po = boost::program_options;
using nlohmann::json;

namespace cairn::wallet {
namespace {

constexpr Amount kOfflineMinFeePerByte = 10;

constexpr const char* kUsage = R"(Usage: cairn-wallet [options] COMMAND [ARGS]

Commands:
  create                    create a new random key file and print its address
  import <hex-secret-key>   create a key file from a 32-byte secret key in hex
  address                   print the key file's address
  balance                   print the address's balance and nonce (asks the node)
  send <address> <amount>   send <amount> CAIRN (exact decimal, e.g. 1.5) to <address> and
                            print the txid; with --offline print the signed transaction hex

Device commands (the wallet's key is the owner; see doc/operating.md):
  device-new <file>         create a device key file (mode 0600) for a hotspot or a compute
                            device and print the device key (hex)
  register-device <device-key-file> [--class=radio | --class=compute --tier=<tier>]
                            register the device as the wallet's (the device key signs its
                            consent; burns the class's onboarding fee, 10 CAIRN); print the
                            txid and the device key; --class=radio is the default; a compute
                            device needs --tier: one of the network's tiers (below), by name
                            or id
  assert-location <device> <lat> <lon> <gain-dbi> <region>
                            set the device's location in decimal degrees (at most 7 decimals,
                            e.g. 52.3731 4.8922), antenna gain in dBi (one decimal, e.g. 3.0)
                            and radio region (EU868, US915, AU915, AS923); burns the location
                            fee (1 CAIRN); print the txid
  transfer-device <device> <address>
                            give the device to another owner; print the txid
  set-compute-tier <device> <tier>
                            move a compute device to another tier (by name or id) from the
                            next bucket; print the txid
  reactivate-compute <device>
                            return a compute device deactivated after missed buckets to the
                            challenges from the next bucket; print the txid
  devices [<address>]       list the wallet's (or the address's) devices, one a line:
                            device class lat lon gain-dbi region ("-" where not asserted);
                            a compute device adds: tier next-tier ("-" if none) and
                            active or inactive

<device> is the device key in hex, as device-new and register-device print it.
register-device, assert-location, transfer-device, set-compute-tier and reactivate-compute
take --fee, --nonce and --offline like send; with --offline they print the signed
transaction hex.
)";

// Why a command failed; printed as "error: <text>".
using Status = Result<void, std::string>;
Unexpected<std::string> Fail(std::string msg) {
    return Unexpected<std::string>{std::move(msg)};
}

// The passphrase read from --passphrase-file, wiped when the wallet is done with it.
class Passphrase {
public:
    Passphrase() = default;
    Passphrase(const Passphrase&) = delete;
    Passphrase& operator=(const Passphrase&) = delete;
    ~Passphrase() { MemoryCleanse(m_text.data(), m_text.size()); }

    Status Read(const std::string& path) {
        auto text = ReadFile(path);
        if (!text) return Fail("cannot read passphrase file " + path);
        m_text = std::move(*text);
        // A trailing newline is how editors and `echo` end the file, not part of the passphrase.
        while (!m_text.empty() && (m_text.back() == '\n' || m_text.back() == '\r')) {
            m_text.back() = '\0';
            m_text.pop_back();
        }
        if (m_text.empty()) return Fail("passphrase file " + path + " is empty");
        m_set = true;
        return {};
    }
    std::optional<std::string_view> Get() const {
        if (!m_set) return std::nullopt;
        return std::string_view{m_text};
    }

private:
    std::string m_text;
    bool m_set{false};
};

// Options of the commands that build a transaction (send and the device commands).
struct SendOptions {
    Bytes memo;
    std::optional<Amount> fee;
    std::optional<uint64_t> nonce;
    bool offline{false};
    std::optional<uint32_t> network_id;
    std::optional<Amount> min_fee_per_byte;
};

struct Options {
    Network net{Network::kDevnet};
    std::string datadir;  // the network's directory, as cairnd computes it
    std::string keyfile;
    rpc::ClientOptions rpc;
    std::optional<std::string> passphrase_file;
    bool json{false};
    std::string command;
    std::vector<std::string> args;
    SendOptions send;
    std::string device_class{"radio"};  // register-device --class
    std::optional<std::string> tier;    // register-device --tier (class compute)
    uint64_t page_size{1000};           // devices --page-size
};

po::options_description VisibleOptions() {
    po::options_description general{"Options"};
    // clang-format off
    general.add_options()
        ("help,h", "print this help and exit")
        ("version", "print the version and exit")
        ("network", po::value<std::string>()->default_value("devnet"), "main, test or devnet")
        ("datadir", po::value<std::string>(), "cairnd's data directory (default $HOME/.cairn; networks other than main use a subdirectory, as cairnd does)")
        ("keyfile", po::value<std::string>(), "key file (default <datadir>/wallet.key)")
        ("passphrase-file", po::value<std::string>(), "file holding the key file's passphrase: encrypts on create/import, decrypts on send and the device commands")
        ("json", po::bool_switch(), "balance, devices: print the node's JSON reply");
    po::options_description rpc{"RPC options"};
    rpc.add_options()
        ("rpcconnect", po::value<std::string>(), "node RPC host (default 127.0.0.1)")
        ("rpcport", po::value<std::string>(), "node RPC port (default: the network's)")
        ("rpcuser", po::value<std::string>(), "RPC user (default: the node's cookie file)")
        ("rpcpassword", po::value<std::string>(), "RPC password");
    po::options_description send{"send options (also register-device, assert-location, transfer-device, set-compute-tier, reactivate-compute)"};
    send.add_options()
        ("memo", po::value<std::string>(), "send: memo text, carried verbatim")
        ("memo-hex", po::value<std::string>(), "send: memo bytes in hex")
        ("fee", po::value<std::string>(), "fee in base units (default: the minimum fee)")
        ("nonce", po::value<std::string>(), "account nonce (default: the node's next nonce)")
        ("offline", po::bool_switch(), "do not contact the node; needs --nonce; prints the signed hex")
        ("network-id", po::value<std::string>(), "with --offline: network id (default: the network's)")
        ("min-fee-per-byte", po::value<std::string>(), "with --offline: minimum fee per byte (default 10)");
    po::options_description device{"device options"};
    device.add_options()
        ("class", po::value<std::string>(), "register-device: device class, radio (the default) or compute")
        ("tier", po::value<std::string>(), "register-device --class=compute: the compute tier, by name or id")
        ("page-size", po::value<std::string>(), "devices: devices per listdevices call (1..1000, default 1000)");
    // clang-format on
    po::options_description all;
    all.add(general).add(rpc).add(send).add(device);
    return all;
}

std::string ComputeTierList(const consensus::ComputeParams& compute);

std::string HelpText() {
    std::ostringstream out;
    out << kUsage << "\nCompute tiers (name (id)):\n";
    for (Network net : {Network::kDevnet, Network::kTest, Network::kMain}) {
        out << "  " << GetNetworkInfo(net).name << ": "
            << ComputeTierList(consensus::DefaultParams(net).compute) << "\n";
    }
    out << VisibleOptions();
    return out.str();
}

Result<uint64_t, std::string> ParseUInt(const po::variables_map& vm, const char* name,
                                        uint64_t max = std::numeric_limits<uint64_t>::max()) {
    const std::string& text = vm[name].as<std::string>();
    auto v = ParseUInt64(text);
    if (!v || *v > max) return Fail("invalid --" + std::string{name} + " '" + text + "'");
    return *v;
}

// Arguments such as "-33.8688" (a southern latitude) are positional, not short options.
std::vector<po::option> NegativeNumberAsPositional(std::vector<std::string>& args) {
    if (args.empty()) return {};
    const std::string& tok = args.front();
    if (tok.size() < 2 || tok[0] != '-' || !(tok[1] == '.' || (tok[1] >= '0' && tok[1] <= '9'))) {
        return {};
    }
    po::option opt;
    opt.value.push_back(tok);
    opt.original_tokens.push_back(tok);
    args.erase(args.begin());
    return {opt};
}

bool IsTxCommand(const std::string& command) {
    return command == "send" || command == "register-device" || command == "assert-location" ||
           command == "transfer-device" || command == "set-compute-tier" ||
           command == "reactivate-compute";
}

// Parses argv. Sets `info` (and returns empty options) for --help and --version.
Result<Options, std::string> ParseOptions(int argc, const char* const argv[], std::string& info) {
    po::options_description hidden;
    hidden.add_options()("command", po::value<std::string>())(
        "args", po::value<std::vector<std::string>>()->default_value({}, ""));
    po::options_description all;
    all.add(VisibleOptions()).add(hidden);
    po::positional_options_description positional;
    positional.add("command", 1).add("args", -1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv)
                      .options(all)
                      .positional(positional)
                      .extra_style_parser(NegativeNumberAsPositional)
                      .run(),
                  vm);
        po::notify(vm);
    } catch (const po::error& e) {
        return Fail(e.what());
    }
    Options o;
    if (vm.count("help")) {
        info = HelpText();
        return o;
    }
    if (vm.count("version")) {
        info = std::string{"cairn-wallet "} + CAIRN_VERSION + "\n";
        return o;
    }

    const std::string& net_name = vm["network"].as<std::string>();
    auto net = NetworkFromName(net_name);
    if (!net) return Fail("unknown network '" + net_name + "' (main, test or devnet)");
    o.net = *net;
    std::optional<std::string> datadir;
    if (vm.count("datadir")) datadir = vm["datadir"].as<std::string>();
    o.datadir = DataDirFor(datadir, o.net);
    o.keyfile = vm.count("keyfile") ? vm["keyfile"].as<std::string>() : o.datadir + "/wallet.key";
    if (vm.count("passphrase-file")) o.passphrase_file = vm["passphrase-file"].as<std::string>();
    o.json = vm["json"].as<bool>();

    o.rpc = rpc::DefaultClientOptions(o.net, o.datadir);
    if (vm.count("rpcconnect")) o.rpc.host = vm["rpcconnect"].as<std::string>();
    if (vm.count("rpcport")) {
        auto port = ParseUInt(vm, "rpcport", 65535);
        if (!port || *port == 0) return Fail("invalid --rpcport");
        o.rpc.port = static_cast<uint16_t>(*port);
    }
    if (vm.count("rpcuser") != vm.count("rpcpassword")) {
        return Fail("--rpcuser and --rpcpassword go together");
    }
    if (vm.count("rpcuser")) {
        o.rpc.user = vm["rpcuser"].as<std::string>();
        o.rpc.password = vm["rpcpassword"].as<std::string>();
    }

    if (!vm.count("command")) return Fail("no command given");
    o.command = vm["command"].as<std::string>();
    o.args = vm["args"].as<std::vector<std::string>>();

    // Options that only mean something for one command are refused elsewhere: a misplaced
    // --fee silently ignored would be worse than an error.
    const bool is_send = o.command == "send";
    const bool is_tx = IsTxCommand(o.command);
    const std::string tx_commands =
        "send, register-device, assert-location, transfer-device, set-compute-tier and "
        "reactivate-compute";
    for (const char* name : {"memo", "memo-hex"}) {
        if (vm.count(name) && !is_send) return Fail("--" + std::string{name} + " is only for send");
    }
    for (const char* name : {"fee", "nonce", "network-id", "min-fee-per-byte"}) {
        if (vm.count(name) && !is_tx) {
            return Fail("--" + std::string{name} + " is only for " + tx_commands);
        }
    }
    if (vm["offline"].as<bool>() && !is_tx) return Fail("--offline is only for " + tx_commands);
    if (o.json && o.command != "balance" && o.command != "devices") {
        return Fail("--json is only for balance and devices");
    }
    if (vm.count("class")) {
        if (o.command != "register-device") return Fail("--class is only for register-device");
        o.device_class = vm["class"].as<std::string>();
    }
    if (vm.count("tier")) {
        if (o.command != "register-device") {
            return Fail(
                "--tier is only for register-device --class=compute (set-compute-tier takes the "
                "tier as its second argument)");
        }
        o.tier = vm["tier"].as<std::string>();
    }
    if (vm.count("page-size")) {
        if (o.command != "devices") return Fail("--page-size is only for devices");
        auto size = ParseUInt(vm, "page-size", 1000);
        if (!size || *size == 0) return Fail("invalid --page-size (1 to 1000)");
        o.page_size = *size;
    }
    if (!is_tx) return o;

    SendOptions& s = o.send;
    s.offline = vm["offline"].as<bool>();
    if (vm.count("memo") && vm.count("memo-hex"))
        return Fail("give --memo or --memo-hex, not both");
    if (vm.count("memo")) {
        const std::string& text = vm["memo"].as<std::string>();
        s.memo.assign(text.begin(), text.end());
    }
    if (vm.count("memo-hex")) {
        auto memo = ParseHex(vm["memo-hex"].as<std::string>());
        if (!memo) return Fail("invalid --memo-hex (expected an even number of hex digits)");
        s.memo = std::move(*memo);
    }
    if (vm.count("fee")) {
        auto fee = ParseUInt(vm, "fee");
        if (!fee) return Fail(fee.error());
        s.fee = *fee;
    }
    if (vm.count("nonce")) {
        auto nonce = ParseUInt(vm, "nonce");
        if (!nonce) return Fail(nonce.error());
        s.nonce = *nonce;
    }
    if (vm.count("network-id") || vm.count("min-fee-per-byte")) {
        if (!s.offline) {
            return Fail(
                "--network-id and --min-fee-per-byte need --offline (online, the node's "
                "values are used)");
        }
    }
    if (vm.count("network-id")) {
        auto id = ParseUInt(vm, "network-id", std::numeric_limits<uint32_t>::max());
        if (!id) return Fail(id.error());
        s.network_id = static_cast<uint32_t>(*id);
    }
    if (vm.count("min-fee-per-byte")) {
        auto per_byte = ParseUInt(vm, "min-fee-per-byte");
        if (!per_byte) return Fail(per_byte.error());
        s.min_fee_per_byte = *per_byte;
    }
    if (s.offline && !s.nonce) return Fail(o.command + " --offline needs --nonce");
    return o;
}

Status ExpectArgs(const Options& o, size_t n, const char* usage) {
    if (o.args.size() != n) return Fail("usage: cairn-wallet [options] " + std::string{usage});
    return {};
}

std::string RpcErrorText(const rpc::ClientError& e) {
    if (e.kind == rpc::ClientError::Kind::kRpc) {
        return "node: " + e.message + " (code " + std::to_string(e.rpc_code) + ")";
    }
    return e.message;
}

Result<json, std::string> CallNode(const Options& o, const std::string& method,
                                   const json& params) {
    rpc::Client client{o.rpc};
    auto r = client.Call(method, params);
    if (!r) return Fail(RpcErrorText(r.error()));
    return std::move(*r);
}

Result<uint64_t, std::string> UIntField(const json& obj, const char* name, const char* method) {
    if (!obj.is_object() || !obj.contains(name) || !obj[name].is_number_unsigned()) {
        return Fail(std::string{method} + " reply has no unsigned integer field '" + name + "'");
    }
    return obj[name].get<uint64_t>();
}

Status WriteNewKey(const Options& o, const SecretKey& sk) {
    Passphrase passphrase;
    if (o.passphrase_file) {
        if (auto r = passphrase.Read(*o.passphrase_file); !r) return r;
    }
    std::string error;
    auto parent = std::filesystem::path{o.keyfile}.parent_path();
    if (!parent.empty() && !CreateDirectories(parent.string(), error)) return Fail(error);
    if (auto r = WriteKeyFile(o.keyfile, sk, o.net, passphrase.Get()); !r) return r;
    std::cout << EncodeAddress(o.net, sk.GetPubKey()) << "\n";
    return {};
}

Status CmdCreate(const Options& o) {
    if (auto r = ExpectArgs(o, 0, "create"); !r) return r;
    return WriteNewKey(o, SecretKey::Generate());
}

Status CmdImport(const Options& o) {
    if (auto r = ExpectArgs(o, 1, "import <hex-secret-key>"); !r) return r;
    auto bytes = ParseHex(o.args[0]);
    if (!bytes || bytes->size() != 32) {
        if (bytes) MemoryCleanse(bytes->data(), bytes->size());
        return Fail("the secret key must be 64 hex digits");
    }
    auto sk = SecretKey::FromBytes(*bytes);
    MemoryCleanse(bytes->data(), bytes->size());
    if (!sk) return Fail("not a valid secret key (zero or not below the curve order)");
    return WriteNewKey(o, *sk);
}

// The clear fields of the key file, with a hint when there is no file yet.
Result<KeyFileInfo, std::string> ReadInfo(const Options& o) {
    if (!FileExists(o.keyfile)) {
        return Fail("no key file " + o.keyfile +
                    " (make one with `cairn-wallet create` or `cairn-wallet import`, or see "
                    "--keyfile)");
    }
    // A device key file has the wallet key file's fields, so it would load; but a device's key
    // belongs on its hotspot, never in the wallet's place.
    if (auto text = ReadFile(o.keyfile)) {
        const bool device = IsDeviceKeyFile(*text);
        MemoryCleanse(text->data(), text->size());
        if (device) {
            return Fail(o.keyfile +
                        " is a device key file (from device-new), not a wallet key file (see "
                        "--keyfile)");
        }
    }
    return ReadKeyFileInfo(o.keyfile, o.net);
}

Status CmdAddress(const Options& o) {
    if (auto r = ExpectArgs(o, 0, "address"); !r) return r;
    auto info = ReadInfo(o);
    if (!info) return Fail(info.error());
    std::cout << info->address << "\n";
    return {};
}

Status CmdBalance(const Options& o) {
    if (auto r = ExpectArgs(o, 0, "balance"); !r) return r;
    auto info = ReadInfo(o);
    if (!info) return Fail(info.error());
    auto account = CallNode(o, "getaccount", json::array({info->address}));
    if (!account) return Fail(account.error());
    if (o.json) {
        std::cout << account->dump(2) << "\n";
        return {};
    }
    auto units = UIntField(*account, "balance_units", "getaccount");
    auto nonce = UIntField(*account, "nonce", "getaccount");
    if (!units) return Fail(units.error());
    if (!nonce) return Fail(nonce.error());
    std::cout << "balance: " << FormatAmount(*units) << " CAIRN\nnonce: " << *nonce << "\n";
    return {};
}

// The chain values a transaction depends on: from the node online, from flags offline.
struct SendContext {
    uint32_t network_id{0};
    Amount min_fee_per_byte{0};
    uint64_t max_memo_bytes{256};  // the network default unless the node says otherwise
    uint64_t nonce{0};
};

Result<SendContext, std::string> OnlineContext(const Options& o, const std::string& address) {
    auto chain = CallNode(o, "getblockchaininfo", json::array());
    if (!chain) return Fail(chain.error());
    if (chain->is_object() && chain->contains("network") && (*chain)["network"].is_string()) {
        std::string node_net = (*chain)["network"].get<std::string>();
        if (node_net != GetNetworkInfo(o.net).name) {
            return Fail("the node runs network '" + node_net + "', the wallet '" +
                        std::string{GetNetworkInfo(o.net).name} + "' (see --network)");
        }
    }
    auto network_id = UIntField(*chain, "network_id", "getblockchaininfo");
    auto per_byte = UIntField(*chain, "min_fee_per_byte", "getblockchaininfo");
    if (!network_id) return Fail(network_id.error());
    if (!per_byte) return Fail(per_byte.error());
    if (*network_id > std::numeric_limits<uint32_t>::max()) {
        return Fail("getblockchaininfo reply has an out-of-range network_id");
    }
    SendContext ctx;
    ctx.network_id = static_cast<uint32_t>(*network_id);
    ctx.min_fee_per_byte = *per_byte;
    if (chain->contains("params") && (*chain)["params"].is_object()) {
        auto memo = UIntField((*chain)["params"], "max_memo_bytes", "getblockchaininfo");
        if (!memo) return Fail(memo.error());
        ctx.max_memo_bytes = *memo;
    }
    if (o.send.nonce) {
        ctx.nonce = *o.send.nonce;
    } else {
        // next_nonce counts the node's mempool, so several sends in a row chain up.
        auto account = CallNode(o, "getaccount", json::array({address}));
        if (!account) return Fail(account.error());
        auto nonce = UIntField(*account, "next_nonce", "getaccount");
        if (!nonce) return Fail(nonce.error());
        ctx.nonce = *nonce;
    }
    return ctx;
}

// The wallet's secret key, unlocked with --passphrase-file if the file is encrypted.
Result<SecretKey, std::string> UnlockKey(const Options& o, const KeyFileInfo& info) {
    Passphrase passphrase;
    if (info.encrypted) {
        if (!o.passphrase_file) return Fail("the key file is encrypted: give --passphrase-file");
        if (auto r = passphrase.Read(*o.passphrase_file); !r) return Fail(r.error());
    }
    return LoadKeyFile(o.keyfile, o.net, passphrase.Get());
}

// The chain values for a new transaction: from the flags with --offline, else from the node.
Result<SendContext, std::string> TxContext(const Options& o, const std::string& address) {
    if (!o.send.offline) return OnlineContext(o, address);
    SendContext ctx;
    ctx.network_id = o.send.network_id.value_or(GetNetworkInfo(o.net).default_network_id);
    ctx.min_fee_per_byte = o.send.min_fee_per_byte.value_or(kOfflineMinFeePerByte);
    ctx.nonce = *o.send.nonce;
    return ctx;
}

// The parameters the builders check against: the network's (the device registry's rules, such
// as the regions and the antenna gain limits, are fixed per network) with the chain values of
// `ctx`.
consensus::ChainParams BuildParams(const Options& o, const SendContext& ctx) {
    consensus::ChainParams params = consensus::DefaultParams(o.net);
    params.network_id = ctx.network_id;
    params.min_fee_per_byte = ctx.min_fee_per_byte;
    params.max_memo_bytes = ctx.max_memo_bytes;
    return params;
}

// Prints the signed hex with --offline; otherwise sends it and prints the node's txid.
Status Submit(const Options& o, const Transaction& tx) {
    std::string hex = HexStr(tx.ToBytes());
    if (o.send.offline) {
        std::cout << hex << "\n";
        return {};
    }
    auto txid = CallNode(o, "sendrawtransaction", json::array({hex}));
    if (!txid) return Fail(txid.error());
    if (!txid->is_string()) return Fail("sendrawtransaction reply is not a txid");
    std::string expected = tx.TxId().Hex();
    if (txid->get<std::string>() != expected) {
        std::cerr << "warning: the node answered txid " << txid->get<std::string>() << ", expected "
                  << expected << "\n";
    }
    std::cout << txid->get<std::string>() << "\n";
    return {};
}

// The rest of every transaction command once its arguments are checked: read the wallet (which
// `check` may refuse), unlock the key before any node contact (so a wrong passphrase fails
// fast), take the chain values, build with them, and submit.
using TxBuild =
    std::function<Result<Transaction, std::string>(const SecretKey&, const SendContext&)>;
using WalletCheck = std::function<Status(const KeyFileInfo&)>;
Status BuildAndSubmit(const Options& o, const TxBuild& build, const WalletCheck& check = {}) {
    auto info = ReadInfo(o);
    if (!info) return Fail(info.error());
    if (check) {
        if (auto r = check(*info); !r) return r;
    }
    auto sk = UnlockKey(o, *info);
    if (!sk) return Fail(sk.error());
    auto ctx = TxContext(o, info->address);
    if (!ctx) return Fail(ctx.error());
    auto tx = build(*sk, *ctx);
    if (!tx) return Fail("cannot build the transaction: " + tx.error());
    return Submit(o, *tx);
}

Status CmdSend(const Options& o) {
    if (auto r = ExpectArgs(o, 2, "send <address> <amount>"); !r) return r;
    auto to = DecodeAddress(o.net, o.args[0]);
    if (!to) return Fail("invalid address '" + o.args[0] + "': " + AddressErrorString(to.error()));
    auto amount = ParseAmount(o.args[1]);
    if (!amount) {
        return Fail("invalid amount '" + o.args[1] +
                    "' (a decimal number of CAIRN with at most 8 decimals)");
    }
    if (*amount == 0) return Fail("the amount must be more than zero");

    return BuildAndSubmit(o, [&](const SecretKey& sk, const SendContext& ctx) {
        return BuildTransfer(sk, ctx.network_id, *to, *amount, ctx.nonce, o.send.fee, o.send.memo,
                             ctx.min_fee_per_byte, ctx.max_memo_bytes);
    });
}

// --- Device commands ---

// The network's compute tiers as "name (id)", for errors and hints: "cpu-dev (0)".
std::string ComputeTierList(const consensus::ComputeParams& compute) {
    std::string names;
    for (size_t i = 0; i < compute.tiers.size(); ++i) {
        names +=
            (names.empty() ? "" : ", ") + compute.tiers[i].name + " (" + std::to_string(i) + ")";
    }
    return names.empty() ? "none" : names;
}

// A compute tier of the network, by name (case-insensitive, as regions are: "cpu-dev", "H100")
// or by id (its index in the network's tiers, "0"). The tiers are fixed per network, so the
// defaults are the ones the node checks against.
Result<uint8_t, std::string> ParseComputeTier(Network net, std::string_view text) {
    const consensus::ComputeParams compute = consensus::DefaultParams(net).compute;
    for (size_t i = 0; i < compute.tiers.size() && i <= std::numeric_limits<uint8_t>::max(); ++i) {
        if (boost::algorithm::iequals(compute.tiers[i].name, text, std::locale::classic())) {
            return static_cast<uint8_t>(i);
        }
    }
    if (auto id = ParseUInt64(text); id && *id <= std::numeric_limits<uint8_t>::max() &&
                                     consensus::FindComputeTier(compute, *id)) {
        return static_cast<uint8_t>(*id);
    }
    return Fail("unknown compute tier '" + std::string{text} + "' (the " +
                std::string{GetNetworkInfo(net).name} +
                " tiers, by name or id: " + ComputeTierList(compute) + ")");
}

Status CmdDeviceNew(const Options& o) {
    if (auto r = ExpectArgs(o, 1, "device-new <file>"); !r) return r;
    if (o.passphrase_file) {
        return Fail(
            "--passphrase-file is not for device-new: a device key file is never "
            "encrypted (the hotspot reads it unattended)");
    }
    const std::string& path = o.args[0];
    std::string error;
    auto parent = std::filesystem::path{path}.parent_path();
    if (!parent.empty() && !CreateDirectories(parent.string(), error)) return Fail(error);
    const SecretKey sk = SecretKey::Generate();
    if (auto r = WriteDeviceKeyFile(path, sk, o.net); !r) return r;
    std::cout << sk.GetPubKey().Hex() << "\n";
    return {};
}

Status CmdRegisterDevice(const Options& o) {
    if (auto r = ExpectArgs(o, 1,
                            "register-device <device-key-file> [--class=radio | --class=compute "
                            "--tier=<tier>]");
        !r) {
        return r;
    }
    auto device_class = consensus::DeviceClassFromName(o.device_class);
    if (!device_class) {
        return Fail("unknown device class '" + o.device_class + "' (radio or compute)");
    }
    // The class data: a compute device's tier byte, which its consent signature covers.
    Bytes class_data;
    if (*device_class == consensus::DeviceClass::kCompute) {
        if (!o.tier) {
            return Fail("register-device --class=compute needs --tier (the " +
                        std::string{GetNetworkInfo(o.net).name} + " tiers, by name or id: " +
                        ComputeTierList(consensus::DefaultParams(o.net).compute) + ")");
        }
        auto tier = ParseComputeTier(o.net, *o.tier);
        if (!tier) return Fail(tier.error());
        class_data.push_back(*tier);
    } else if (o.tier) {
        return Fail("--tier is only for --class=compute (a " +
                    std::string{consensus::DeviceClassName(*device_class)} + " has no tier)");
    }
    const std::string& device_path = o.args[0];
    if (!FileExists(device_path)) {
        return Fail("no device key file " + device_path +
                    " (make one with `cairn-wallet device-new`)");
    }
    auto device_sk = LoadDeviceKeyFile(device_path, o.net);
    if (!device_sk) return Fail(device_sk.error());

    const PubKey device = device_sk->GetPubKey();
    auto r = BuildAndSubmit(
        o,
        [&](const SecretKey& sk, const SendContext& ctx) {
            return BuildRegisterDevice(sk, *device_sk, BuildParams(o, ctx), *device_class,
                                       class_data, ctx.nonce, o.send.fee);
        },
        [&](const KeyFileInfo& info) -> Status {
            if (device == info.pubkey) {
                return Fail(
                    "the device key is the wallet's own key; a device needs a key of its own");
            }
            return {};
        });
    if (!r) return r;
    // Offline, stdout is the transaction alone, ready for sendrawtransaction.
    if (!o.send.offline) std::cout << device.Hex() << "\n";
    return {};
}

Status CmdAssertLocation(const Options& o) {
    if (auto r = ExpectArgs(o, 5, "assert-location <device> <lat> <lon> <gain-dbi> <region>"); !r) {
        return r;
    }
    // Everything the operator typed is checked before the key is unlocked or the node asked.
    auto device = ParseDeviceKey(o.args[0]);
    if (!device) return Fail(device.error());
    auto position = ParseLatLon(o.args[1], o.args[2]);
    if (!position) return Fail(position.error());
    auto gain = ParseGainDdbi(o.args[3]);
    if (!gain) return Fail(gain.error());
    const consensus::ChainParams defaults = consensus::DefaultParams(o.net);
    const auto& poc = defaults.poc;
    if (*gain < poc.min_antenna_gain_ddbi || *gain > poc.max_antenna_gain_ddbi) {
        return Fail("antenna gain " + FormatGainDdbi(*gain) + " dBi is outside " +
                    FormatGainDdbi(poc.min_antenna_gain_ddbi) + " to " +
                    FormatGainDdbi(poc.max_antenna_gain_ddbi) + " dBi (tx-bad-antenna-gain)");
    }
    auto region = ParseRegion(poc, o.args[4]);
    if (!region) return Fail(region.error());

    return BuildAndSubmit(o, [&](const SecretKey& sk, const SendContext& ctx) {
        return BuildAssertLocation(sk, BuildParams(o, ctx), *device, *position, *gain, *region,
                                   ctx.nonce, o.send.fee);
    });
}

Status CmdTransferDevice(const Options& o) {
    if (auto r = ExpectArgs(o, 2, "transfer-device <device> <address>"); !r) return r;
    auto device = ParseDeviceKey(o.args[0]);
    if (!device) return Fail(device.error());
    auto to = DecodeAddress(o.net, o.args[1]);
    if (!to) return Fail("invalid address '" + o.args[1] + "': " + AddressErrorString(to.error()));

    return BuildAndSubmit(
        o,
        [&](const SecretKey& sk, const SendContext& ctx) {
            return BuildTransferDevice(sk, BuildParams(o, ctx), *device, *to, ctx.nonce,
                                       o.send.fee);
        },
        [&](const KeyFileInfo& info) -> Status {
            if (*to == info.pubkey) return Fail("the device already belongs to " + info.address);
            return {};
        });
}

Status CmdSetComputeTier(const Options& o) {
    if (auto r = ExpectArgs(o, 2, "set-compute-tier <device> <tier>"); !r) return r;
    auto device = ParseDeviceKey(o.args[0]);
    if (!device) return Fail(device.error());
    auto tier = ParseComputeTier(o.net, o.args[1]);
    if (!tier) return Fail(tier.error());

    return BuildAndSubmit(o, [&](const SecretKey& sk, const SendContext& ctx) {
        return BuildSetComputeTier(sk, BuildParams(o, ctx), *device, *tier, ctx.nonce, o.send.fee);
    });
}

Status CmdReactivateCompute(const Options& o) {
    if (auto r = ExpectArgs(o, 1, "reactivate-compute <device>"); !r) return r;
    auto device = ParseDeviceKey(o.args[0]);
    if (!device) return Fail(device.error());

    return BuildAndSubmit(o, [&](const SecretKey& sk, const SendContext& ctx) {
        return BuildReactivateCompute(sk, BuildParams(o, ctx), *device, ctx.nonce, o.send.fee);
    });
}

// A compute device's columns of a devices line: tier next-tier ("-" if none) active|inactive.
Result<std::string, std::string> ComputeColumns(const json& c) {
    if (!c.is_object() || !c.contains("tier") || !c["tier"].is_string() ||
        !c.contains("next_tier") || !(c["next_tier"].is_string() || c["next_tier"].is_null()) ||
        !c.contains("active") || !c["active"].is_boolean()) {
        return Fail("listdevices reply has a malformed device");
    }
    return c["tier"].get<std::string>() + " " +
           (c["next_tier"].is_null() ? std::string{"-"} : c["next_tier"].get<std::string>()) +
           (c["active"].get<bool>() ? " active" : " inactive");
}

// One device of a listdevices reply as a line: device class lat lon gain-dbi region, and for a
// compute device (the node's "compute" object) tier next-tier active|inactive.
Result<std::string, std::string> DeviceLine(const json& d) {
    auto bad = [] { return Fail("listdevices reply has a malformed device"); };
    if (!d.is_object() || !d.contains("device") || !d["device"].is_string() ||
        !d.contains("class") || !d["class"].is_string()) {
        return bad();
    }
    std::string line = d["device"].get<std::string>() + " " + d["class"].get<std::string>();
    std::string compute;
    if (d.contains("compute") && !d["compute"].is_null()) {
        auto columns = ComputeColumns(d["compute"]);
        if (!columns) return Fail(columns.error());
        compute = " " + *columns;
    }
    const json& loc = d.contains("location") ? d["location"] : json(nullptr);
    if (loc.is_null()) return line + " - - - -" + compute;
    if (!loc.is_object()) return bad();
    for (const char* f : {"lat_e7", "lon_e7"}) {
        if (!loc.contains(f) || !loc[f].is_number_integer()) return bad();
        const int64_t v = loc[f].get<int64_t>();
        if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max()) {
            return bad();
        }
        line += " " + FormatDegreesE7(static_cast<int32_t>(v));
    }
    if (!loc.contains("gain_ddbi") || !loc["gain_ddbi"].is_number_unsigned() ||
        loc["gain_ddbi"].get<uint64_t>() > std::numeric_limits<uint16_t>::max() ||
        !loc.contains("region") || !loc["region"].is_string()) {
        return bad();
    }
    line += " " + FormatGainDdbi(loc["gain_ddbi"].get<uint16_t>()) + " " +
            loc["region"].get<std::string>();
    return line + compute;
}

Status CmdDevices(const Options& o) {
    if (o.args.size() > 1) return Fail("usage: cairn-wallet [options] devices [<address>]");
    std::string owner;
    if (o.args.empty()) {
        auto info = ReadInfo(o);
        if (!info) return Fail(info.error());
        owner = info->address;
    } else {
        auto pk = DecodeAddress(o.net, o.args[0]);
        if (!pk) {
            return Fail("invalid address '" + o.args[0] + "': " + AddressErrorString(pk.error()));
        }
        owner = o.args[0];
    }
    // Every page: the node returns `next` while more devices follow.
    json all = json::array();
    json next = nullptr;
    for (;;) {
        json params = {{"owner", owner}, {"limit", o.page_size}};
        if (!next.is_null()) params["start_after"] = next;
        auto page = CallNode(o, "listdevices", params);
        if (!page) return Fail(page.error());
        if (!page->is_object() || !page->contains("devices") || !(*page)["devices"].is_array()) {
            return Fail("listdevices reply has no devices array");
        }
        for (const json& d : (*page)["devices"]) all.push_back(d);
        const json& n = page->contains("next") ? (*page)["next"] : json(nullptr);
        if (n.is_null()) break;
        if (!n.is_string() || n == next || (*page)["devices"].empty()) {
            return Fail("listdevices reply has a bad next");
        }
        next = n;
    }
    if (o.json) {
        std::cout << all.dump(2) << "\n";
        return {};
    }
    for (const json& d : all) {
        auto line = DeviceLine(d);
        if (!line) return Fail(line.error());
        std::cout << *line << "\n";
    }
    return {};
}

Status Run(const Options& o) {
    if (o.command == "create") return CmdCreate(o);
    if (o.command == "import") return CmdImport(o);
    if (o.command == "address") return CmdAddress(o);
    if (o.command == "balance") return CmdBalance(o);
    if (o.command == "send") return CmdSend(o);
    if (o.command == "device-new") return CmdDeviceNew(o);
    if (o.command == "register-device") return CmdRegisterDevice(o);
    if (o.command == "assert-location") return CmdAssertLocation(o);
    if (o.command == "transfer-device") return CmdTransferDevice(o);
    if (o.command == "set-compute-tier") return CmdSetComputeTier(o);
    if (o.command == "reactivate-compute") return CmdReactivateCompute(o);
    if (o.command == "devices") return CmdDevices(o);
    return Fail("unknown command '" + o.command + "' (see cairn-wallet --help)");
}

}  // namespace
}  // namespace cairn::wallet

int main(int argc, char* argv[]) {
    using namespace cairn::wallet;
    try {
        std::string info;
        auto options = ParseOptions(argc, argv, info);
        if (!options) {
            std::cerr << "error: " << options.error() << "\n(see cairn-wallet --help)\n";
            return 1;
        }
        if (!info.empty()) {
            std::cout << info;
            return 0;
        }
        if (auto r = Run(*options); !r) {
            std::cerr << "error: " << r.error() << "\n";
            return 1;
        }
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
}
