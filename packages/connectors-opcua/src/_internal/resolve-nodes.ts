import { type ClientSession, coerceNodeId, makeBrowsePath } from 'node-opcua-client';
import type { ResolvedAddress } from '../address.js';
import { OpcuaError } from '../errors.js';

/**
 * The node id of each address, in order: node ids are checked as they are, browse paths are translated in one
 * TranslateBrowsePathsToNodeIds request. An address that resolves to nothing gets an `OPCUA_NODE_INVALID` error
 * in its place, so one bad address does not fail the others.
 */
export async function resolveNodeIds(session: ClientSession, addresses: readonly ResolvedAddress[]): Promise<(string | OpcuaError)[]> {
  const out: (string | OpcuaError)[] = [];
  const paths: { index: number; path: ReturnType<typeof makeBrowsePath> }[] = [];
  addresses.forEach((address, index) => {
    try {
      if (address.nodeId !== undefined) out[index] = coerceNodeId(address.nodeId).toString();
      else paths.push({ index, path: makeBrowsePath('RootFolder', address.browsePath as string) });
    } catch (error) {
      out[index] = invalid(address, `it is not valid OPC UA syntax (${(error as Error).message})`);
    }
  });
  if (paths.length > 0) {
    const results = await session.translateBrowsePath(paths.map((p) => p.path));
    paths.forEach(({ index }, i) => {
      const result = results[i];
      const target = result?.targets?.[0];
      out[index] =
        result?.statusCode.isGood() && target ? target.targetId.toString() : invalid(addresses[index]!, `the server answered ${result?.statusCode.name ?? 'nothing'}`);
    });
  }
  return out;
}

/** Resolves one address; throws its `OPCUA_NODE_INVALID` error. */
export async function resolveNodeId(session: ClientSession, address: ResolvedAddress): Promise<string> {
  const [nodeId] = await resolveNodeIds(session, [address]);
  if (nodeId instanceof OpcuaError) throw nodeId;
  return nodeId as string;
}

function invalid(address: ResolvedAddress, why: string): OpcuaError {
  const what = address.nodeId !== undefined ? `node id ${address.nodeId}` : `browse path ${address.browsePath}`;
  return new OpcuaError('OPCUA_NODE_INVALID', `OPC UA ${what} cannot be used: ${why}. Check the endpoint's address against the server's address space.`, {
    details: { node: address.label },
  });
}
