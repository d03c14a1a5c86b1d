#include "node/config.h"

#include <boost/program_options.hpp>

#include <fstream>
#include <sstream>

#include "util/fs.h"

namespace po = boost::program_options;

namespace cairn {

namespace {

po::options_description Options() {
    po::options_description o{"cairnd options"};
    // clang-format off
    o.add_options()
        ("help,h", "print this help and exit")
        ("version", "print the version and exit")
        ("network", po::value<std::string>()->default_value("devnet"), "main, test or devnet")
        ("datadir", po::value<std::string>(), "data directory (default $HOME/.cairn; networks other than main use a subdirectory)")
        ("conf", po::value<std::string>(), "config file (default <datadir>/cairn.conf)")
        ("genesis", po::value<std::string>(), "genesis JSON file (required except on devnet)")
        ("blocktime", po::value<uint64_t>()->default_value(1000), "milliseconds between blocks this validator produces")
        ("produce", po::value<bool>()->default_value(true), "produce blocks when this node is the validator (0/1)")
        ("printtoconsole", po::bool_switch(), "log to the console as well as debug.log")
        ("rpcbind", po::value<std::vector<std::string>>(), "address to serve JSON-RPC on (default 127.0.0.1; repeatable)")
        ("rpcport", po::value<int>(), "JSON-RPC port (default: 8645 main, 18645 test, 28645 devnet)")
        ("rpcallowip", po::value<std::vector<std::string>>(), "allow JSON-RPC from this address or CIDR (repeatable; loopback always allowed)")
        ("rpcuser", po::value<std::string>(), "JSON-RPC user name")
        ("rpcpassword", po::value<std::string>(), "JSON-RPC password")
        ("rpcauth", po::value<std::vector<std::string>>(), "user:salt$hmac-sha256 credential (see contrib/rpcauth.py; repeatable)")
        ("rpcthreads", po::value<int>()->default_value(4), "JSON-RPC worker threads (1-64)")
        ("rpcworkqueue", po::value<int>()->default_value(64), "queued JSON-RPC requests before answering 503 (1-65536)")
        ("maxmempool", po::value<size_t>()->default_value(64), "mempool size limit in MB (1-100000)")
        ("dbcache", po::value<size_t>()->default_value(64), "database cache in MB (4-100000)");
    // clang-format on
    return o;
}

}  // namespace

Result<NodeConfig, std::string> ParseNodeConfig(int argc, const char* const argv[],
                                                std::string& info) {
    po::options_description desc = Options();
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(desc).run(), vm);
        if (vm.count("help")) {
            std::ostringstream ss;
            ss << "Usage: cairnd [options]\n\n" << desc;
            info = ss.str();
            return NodeConfig{};
        }
        if (vm.count("version")) {
            info = std::string{"cairnd "} + CAIRN_VERSION + "\n";
            return NodeConfig{};
        }
        // Locate the config file: --conf, or cairn.conf in the network data directory.
        std::string net_name = vm["network"].as<std::string>();
        auto net = NetworkFromName(net_name);
        if (!net) return MakeError("unknown network '" + net_name + "' (main, test or devnet)");
        std::string base = vm.count("datadir") ? vm["datadir"].as<std::string>() : DefaultDataDir();
        std::string conf;
        bool conf_required = false;
        if (vm.count("conf")) {
            conf = vm["conf"].as<std::string>();
            conf_required = true;
        } else {
            conf = NetworkDataDir(base, *net) + "/cairn.conf";
        }
        std::ifstream in{conf};
        if (!in && conf_required) return MakeError("cannot read config file " + conf);
        std::string used_conf;
        if (in) {
            po::parsed_options file_opts =
                po::parse_config_file(in, desc, /*allow_unregistered=*/false);
            // These choose which file is read; set in the file they would move the node to a
            // data directory other than the one the file came from.
            for (const auto& o : file_opts.options) {
                if (o.string_key == "datadir" || o.string_key == "network" ||
                    o.string_key == "conf") {
                    return MakeError(conf + ": '" + o.string_key +
                                     "' can only be given on the command line");
                }
            }
            po::store(file_opts, vm);
            used_conf = conf;
        }
        po::notify(vm);

        NodeConfig c;
        net_name = vm["network"].as<std::string>();
        net = NetworkFromName(net_name);
        if (!net) return MakeError("unknown network '" + net_name + "' (main, test or devnet)");
        c.network = *net;
        base = vm.count("datadir") ? vm["datadir"].as<std::string>() : DefaultDataDir();
        c.datadir = NetworkDataDir(base, c.network);
        c.conf_file = used_conf;
        if (vm.count("genesis")) c.genesis_file = vm["genesis"].as<std::string>();
        c.blocktime_ms = vm["blocktime"].as<uint64_t>();
        if (c.blocktime_ms < 10 || c.blocktime_ms > 3'600'000) {
            return MakeError(std::string{"--blocktime must be between 10 and 3600000 ms"});
        }
        c.produce = vm["produce"].as<bool>();
        c.print_to_console = vm["printtoconsole"].as<bool>();
        if (vm.count("rpcbind")) c.rpcbind = vm["rpcbind"].as<std::vector<std::string>>();
        c.rpcport = GetNetworkInfo(c.network).default_rpc_port;
        if (vm.count("rpcport")) {
            int port = vm["rpcport"].as<int>();
            if (port < 1 || port > 65535) {
                return MakeError(std::string{"--rpcport must be between 1 and 65535"});
            }
            c.rpcport = static_cast<uint16_t>(port);
        }
        if (vm.count("rpcallowip")) c.rpcallowip = vm["rpcallowip"].as<std::vector<std::string>>();
        if (vm.count("rpcuser")) c.rpcuser = vm["rpcuser"].as<std::string>();
        if (vm.count("rpcpassword")) c.rpcpassword = vm["rpcpassword"].as<std::string>();
        if (c.rpcuser.empty() != c.rpcpassword.empty()) {
            return MakeError(std::string{"--rpcuser and --rpcpassword must be given together"});
        }
        if (vm.count("rpcauth")) c.rpcauth = vm["rpcauth"].as<std::vector<std::string>>();
        c.rpcthreads = vm["rpcthreads"].as<int>();
        if (c.rpcthreads < 1 || c.rpcthreads > 64) {
            return MakeError(std::string{"--rpcthreads must be between 1 and 64"});
        }
        c.rpcworkqueue = vm["rpcworkqueue"].as<int>();
        if (c.rpcworkqueue < 1 || c.rpcworkqueue > 65536) {
            return MakeError(std::string{"--rpcworkqueue must be between 1 and 65536"});
        }
        c.maxmempool_mb = vm["maxmempool"].as<size_t>();
        if (c.maxmempool_mb < 1 || c.maxmempool_mb > 100000) {
            return MakeError(std::string{"--maxmempool must be between 1 and 100000 MB"});
        }
        c.dbcache_mb = vm["dbcache"].as<size_t>();
        if (c.dbcache_mb < 4 || c.dbcache_mb > 100000) {
            return MakeError(std::string{"--dbcache must be between 4 and 100000 MB"});
        }
        // The genesis is copied into the data directory on first start; only then is the flag
        // needed on networks other than devnet (which makes its own).
        if (c.genesis_file.empty() && c.network != Network::kDevnet &&
            !FileExists(c.datadir + "/genesis.json")) {
            return MakeError("--genesis=FILE is required on the first start of the " + net_name +
                             " network");
        }
        return c;
    } catch (const po::error& e) {
        return MakeError(std::string{e.what()});
    }
}

}  // namespace cairn
