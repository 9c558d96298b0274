#!/usr/bin/env python3
"""A client that is not .NET: deploys through mizan-agent's mutual-TLS listener with Debian's grpcio,
knowing nothing but agent.proto (the stubs are generated here, into a temp directory, at each run).

Prints each DeploymentEvent as one line "STEP STATUS message", then the final result's state name.
Exit 0 only when the final state is DEPLOYMENT_STATE_SUCCEEDED; 1 for another final state; 2 when the call failed
(handshake refused, RPC error) or the stream ended without a result; 3 when the stubs cannot be generated.
"""

import argparse
import importlib
import os
import shutil
import sys
import tempfile

import grpc
import grpc_tools
from grpc_tools import protoc

PROTO = "mizan/agent/v1/agent.proto"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--target", required=True, help="127.0.0.1:PORT of the agent's mutual-TLS listener")
    parser.add_argument("--server-cert", required=True, help="PEM of the agent's (self-signed) server certificate")
    parser.add_argument("--client-cert", required=True, help="PEM of this client's certificate")
    parser.add_argument("--client-key", required=True, help="PEM (PKCS#8) of this client's private key")
    parser.add_argument("--app", required=True)
    parser.add_argument("--image", required=True)
    parser.add_argument("--proto-dir", required=True, help="the repository's proto/ directory")
    parser.add_argument("--timeout", type=float, default=120.0, help="deadline of the Deploy call, in seconds")
    return parser.parse_args()


def generate_stubs(proto_dir, out_dir):
    """agent_pb2 / agent_pb2_grpc from the .proto; google/protobuf/*.proto come with grpc_tools."""
    well_known = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
    arguments = [
        "grpc_tools.protoc",
        "-I" + proto_dir,
        "-I" + well_known,
        "--python_out=" + out_dir,
        "--grpc_python_out=" + out_dir,
        os.path.join(proto_dir, PROTO),
    ]
    if protoc.main(arguments) != 0:
        raise RuntimeError("protoc failed on " + os.path.join(proto_dir, PROTO))
    sys.path.insert(0, out_dir)
    pb2 = importlib.import_module("mizan.agent.v1.agent_pb2")
    pb2_grpc = importlib.import_module("mizan.agent.v1.agent_pb2_grpc")
    return pb2, pb2_grpc


def read(path):
    with open(path, "rb") as f:
        return f.read()


def deploy(args, pb2, pb2_grpc):
    credentials = grpc.ssl_channel_credentials(
        root_certificates=read(args.server_cert),
        private_key=read(args.client_key),
        certificate_chain=read(args.client_cert),
    )
    # The agent's certificate names localhost and 127.0.0.1; check the name against "localhost".
    # No HTTP proxy from the environment: the agent is reached directly.
    options = [("grpc.ssl_target_name_override", "localhost"), ("grpc.enable_http_proxy", 0)]
    with grpc.secure_channel(args.target, credentials, options=options) as channel:
        stub = pb2_grpc.AgentServiceStub(channel)
        request = pb2.DeployRequest(app=args.app, image=args.image, requested_by="python-grpcio-interop")
        result = None
        try:
            for event in stub.Deploy(request, timeout=args.timeout):
                step = pb2.Step.Name(event.step)
                status = pb2.StepStatus.Name(event.status)
                print(f"{step} {status} {event.message}", flush=True)
                if event.HasField("result"):
                    result = event.result
        except grpc.RpcError as error:
            print(f"rpc failed: {error.code().name}: {error.details()}", file=sys.stderr, flush=True)
            return 2

    if result is None:
        print("the stream ended without a result", file=sys.stderr, flush=True)
        return 2
    state = pb2.DeploymentState.Name(result.state)
    print(state, flush=True)
    return 0 if result.state == pb2.DEPLOYMENT_STATE_SUCCEEDED else 1


def main():
    args = parse_args()
    out_dir = tempfile.mkdtemp(prefix="mizan-it-pystubs-")
    try:
        try:
            pb2, pb2_grpc = generate_stubs(args.proto_dir, out_dir)
        except (RuntimeError, ImportError) as error:
            print(f"stubs: {error}", file=sys.stderr, flush=True)
            return 3
        return deploy(args, pb2, pb2_grpc)
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
