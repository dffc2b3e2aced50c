import type { MappingEntry } from '@iiot/mapping';

/** The seed's first transform: wrap the payload in an envelope (greengrass.yaml). */
export const SEED_ENVELOPE = '{ "deviceId": "TestDeviceEdge", "payload": $ }';

/** The seed's second transform: flatten and timestamp the envelope (greengrass.yaml). */
export const SEED_FLATTEN = `{
  "deviceId": "TestDeviceEdge",
  "timestamp": $now(),
  "temperature": $.payload.DeviceData.Temperature,
  "position_x": $.payload.DeviceData.Position.X,
  "position_y": $.payload.DeviceData.Position.Y,
  "position_z": $.payload.DeviceData.Position.Z
}`;

/** The seed's mapping entry with its two-transform chain. */
export const SEED_CHAIN: MappingEntry = {
  subscribe: { topic: 'services/bench/test/#topic' },
  publish: { topic: 'TestDeviceEdge/$topic' },
  rules: [{ transform: { expression: SEED_ENVELOPE } }, { transform: { expression: SEED_FLATTEN } }],
};
