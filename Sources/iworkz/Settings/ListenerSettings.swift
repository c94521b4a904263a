/// Where a process listens. Keys:
/// - `host`: the address (default `127.0.0.1`);
/// - `port`: the main listener's port (default 8000; 0 for any free port);
/// - `opsPort`: the operations listener's (`/metrics`, `/health`, `/ready`), on the same address
///   (default 9464; 0 for any free port; not the main port).
struct ListenerSettings {
    let host: String
    let port: Int
    let opsPort: Int

    init(_ settings: Settings) {
        host = settings.string("host") ?? "127.0.0.1"
        port = settings.int("port", in: 0...65535) ?? 8000
        opsPort = settings.int("opsPort", in: 0...65535) ?? 9464
        if opsPort == port, port != 0 { settings.problem("opsPort", "must differ from the port (\(port))") }
    }
}
