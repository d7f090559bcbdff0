// Test vectors from the test suites of FreeClimb's SDKs, the same ones that
// tests/signature.rs checks in Rust, and a valid callStatus body.

export const SECRET = 'sigsec_ead6d3b6904196c60835d039e91b3341c77a7793';

/** SECRET with its last digit changed. */
export const OTHER_SECRET = 'sigsec_ead6d3b6904196c60835d039e91b3341c77a7794';

/** An inboundCall webhook body, the one the SDK vectors sign. */
export const SDK_BODY =
  '{"accountId":"AC1334ffb694cd8d969f51cddf5f7c9b478546d50c",' +
  '"callId":"CAccb0b00506553cda09b51c5477f672a49e0b2213",' +
  '"callStatus":"ringing","conferenceId":null,"direction":"inbound",' +
  '"from":"+13121000109","parentCallId":null,"queueId":null,' +
  '"requestType":"inboundCall","to":"+13121000096"}';

/** `[t, v1]` pairs for SDK_BODY signed with SECRET. */
export const SDK_VECTORS = [
  [1679944186, 'c3957749baf61df4b1506802579cc69a74c77a1ae21447b930e5a704f9ec4120'],
  [2130000000, '6835006e70c9b9f610e8fb3a8b36b52b3f28c12d0a2dab75091c46ca7ec11b20'],
  [1679931346, '4945505e46930b6e31df721c069f10cd3a4cfb3c8e2ec67d2663fae49f95644f'],
];

export const T = 1679944186;
export const V1 = 'c3957749baf61df4b1506802579cc69a74c77a1ae21447b930e5a704f9ec4120';

/** SDK_BODY signed with OTHER_SECRET at T. */
export const OTHER_SECRET_V1 = 'eefa65088d2ddec3c421888c08a45ef094cc4efbe2197f91a3e91a93d1fc8b39';

/** A well-formed signature that matches nothing here. */
export const DECOY_V1 = '1ba18712726898fbbe48cd862dd096a709f7ad761a5bab14bda9ac24d963a6a8';

/** A valid callStatus body, as FreeClimb sends it when an inbound call ends. */
export const CALL_STATUS_BODY =
  '{"requestType":"callStatus","callId":"CAccb0b00506553cda09b51c5477f672a49e0b2213",' +
  '"accountId":"AC1334ffb694cd8d969f51cddf5f7c9b478546d50c","from":"+13121000109",' +
  '"to":"+13121000096","callStatus":"completed","callEndedReason":"farEndHangup",' +
  '"direction":"inbound","conferenceId":null,"queueId":null,"callDuration":"37",' +
  '"parentCallId":null}';
