# Loopback port pickers for the test scripts (sourced, not run).

# A port free on 127.0.0.1 now (the kernel's pick).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# A port free together with port + 10000: SeaweedFS serves gRPC there, beside each HTTP port.
grpc_pair_port() { python3 -c 'import random, socket
while True:
    port = random.randint(20000, 45000)
    try:
        for p in (port, port + 10000):
            s = socket.socket(); s.bind(("127.0.0.1", p)); s.close()
        print(port); break
    except OSError:
        pass'; }
