// Example callStatus bodies for the Samples menu, kept as plain data.
//
// Each body is written out as text, not built with JSON.stringify, so the
// broken samples can contain what a JSON value cannot (a syntax error, a
// duplicate key). `expected` is the lenient verdict: 'valid', 'warnings'
// or 'invalid'. `strictExpected` is set only where strict mode differs.
// The ids are random lowercase hex and the phone numbers are in the 555
// range that North American numbering keeps for fiction.

export const SAMPLE_GROUPS = [
  { id: 'final', label: 'Final statuses' },
  { id: 'more', label: 'More valid calls' },
  { id: 'broken', label: 'Broken payloads' },
];

export const SAMPLES = [
  {
    id: 'completed',
    group: 'final',
    label: 'completed · farEndHangup',
    description: 'An inbound call that was answered, then the caller hung up.',
    expected: 'valid',
    text: `{
  "requestType": "callStatus",
  "callId": "CA038d2dec9d3dacf440c071b2cc65a3fe107a8c00",
  "accountId": "AC07f210ff31de920b22925763f25083adc8b45a26",
  "from": "+13125550109",
  "to": "+17735550142",
  "callStatus": "completed",
  "callEndedReason": "farEndHangup",
  "direction": "inbound",
  "conferenceId": null,
  "queueId": null,
  "callDuration": "65",
  "parentCallId": null
}
`,
  },
  {
    id: 'busy',
    group: 'final',
    label: 'busy · busy',
    description: 'An outbound call placed through the REST API that got a busy signal.',
    expected: 'valid',
    text: `{
  "requestType": "callStatus",
  "callId": "CA12c2fccc5ef6549e4e520070040955603aff961a",
  "accountId": "AC07f210ff31de920b22925763f25083adc8b45a26",
  "from": "+17735550142",
  "to": "+14155550187",
  "callStatus": "busy",
  "callEndedReason": "busy",
  "direction": "outboundAPI",
  "conferenceId": null,
  "queueId": null,
  "callDuration": "4",
  "parentCallId": null
}
`,
  },
  {
    id: 'failed',
    group: 'final',
    label: 'failed · failed',
    description: 'An outbound call to a number that could not be reached.',
    expected: 'valid',
    text: `{
  "requestType": "callStatus",
  "callId": "CAe4843a04f3ac7e6d4e94d158e46a2d4424c8ef70",
  "accountId": "AC07f210ff31de920b22925763f25083adc8b45a26",
  "from": "+17735550142",
  "to": "+16465550123",
  "callStatus": "failed",
  "callEndedReason": "failed",
  "direction": "outboundAPI",
  "conferenceId": null,
  "queueId": null,
  "callDuration": "0",
  "parentCallId": null
}
`,
  },
  {
    id: 'no-answer',
    group: 'final',
    label: 'noAnswer · noAnswer',
    description: 'An outbound call that rang out without being answered.',
    expected: 'valid',
    text: `{
  "requestType": "callStatus",
  "callId": "CAad29d7eef126aa5f71becc33bca814948d621f90",
  "accountId": "AC07f210ff31de920b22925763f25083adc8b45a26",
  "from": "+17735550142",
  "to": "+12125550166",
  "callStatus": "noAnswer",
  "callEndedReason": "noAnswer",
  "direction": "outboundAPI",
  "conferenceId": null,
  "queueId": null,
  "callDuration": "31",
  "parentCallId": null
}
`,
  },
  {
    id: 'canceled',
    group: 'final',
    label: 'canceled · callCanceled',
    description: 'An outbound call canceled through the REST API while it was ringing.',
    expected: 'valid',
    text: `{
  "requestType": "callStatus",
  "callId": "CAa140e9219c614ef120554ef58b591175f5189024",
  "accountId": "AC07f210ff31de920b22925763f25083adc8b45a26",
  "from": "+17735550142",
  "to": "+13055550178",
  "callStatus": "canceled",
  "callEndedReason": "callCanceled",
  "direction": "outboundAPI",
  "conferenceId": null,
  "queueId": null,
  "callDuration": "9",
  "parentCallId": null
}
`,
  },
  {
    id: 'recorded',
    group: 'more',
    label: 'Recorded call',
    description: 'A completed inbound call with all three recording fields.',
    expected: 'valid',
    text: `{
  "requestType": "callStatus",
  "callId": "CA5031aee04a2bb4c9fc3fe1392703597ae5dc1e30",
  "accountId": "AC07f210ff31de920b22925763f25083adc8b45a26",
  "from": "+13125550109",
  "to": "+17735550142",
  "callStatus": "completed",
  "callEndedReason": "appHangup",
  "direction": "inbound",
  "conferenceId": null,
  "queueId": null,
  "callDuration": "7384",
  "recordingUrl": "https://www.freeclimb.com/apiserver/Accounts/AC07f210ff31de920b22925763f25083adc8b45a26/Recordings/REfa28d806ad1a77fe8bb3e8f60fc79b528effc38c/Download",
  "recordingId": "REfa28d806ad1a77fe8bb3e8f60fc79b528effc38c",
  "recordingDurationSec": "7311",
  "parentCallId": null
}
`,
  },
  {
    id: 'dial-child',
    group: 'more',
    label: 'outboundDial child leg',
    description: 'The leg that a Dial command created, pointing back at the inbound call through parentCallId.',
    expected: 'valid',
    text: `{
  "requestType": "callStatus",
  "callId": "CAb0df54c140d9b4a16695a227f8bd50e8cc741f75",
  "accountId": "AC07f210ff31de920b22925763f25083adc8b45a26",
  "from": "+17735550142",
  "to": "+13125550133",
  "callStatus": "completed",
  "callEndedReason": "farEndHangup",
  "direction": "outboundDial",
  "conferenceId": null,
  "queueId": null,
  "callDuration": "212",
  "parentCallId": "CA038d2dec9d3dacf440c071b2cc65a3fe107a8c00"
}
`,
  },
  {
    id: 'lenient-only',
    group: 'more',
    label: 'Tolerated in lenient mode',
    description: 'callDuration sent as a number and an undocumented field: warnings in lenient mode, errors in strict mode.',
    expected: 'warnings',
    strictExpected: 'invalid',
    text: `{
  "requestType": "callStatus",
  "callId": "CA89b32342127e71547b9564c7871980811bcb143c",
  "accountId": "AC07f210ff31de920b22925763f25083adc8b45a26",
  "from": "+13125550109",
  "to": "+17735550142",
  "callStatus": "completed",
  "callEndedReason": "farEndHangup",
  "direction": "inbound",
  "conferenceId": null,
  "queueId": null,
  "callDuration": 48,
  "parentCallId": null,
  "callerName": "Front desk"
}
`,
  },
  {
    id: 'ndjson-log',
    group: 'more',
    label: 'NDJSON log (4 payloads)',
    description: 'A webhook log with one payload per line; the third one has a bad callId.',
    expected: 'valid',
    text: `{"requestType":"callStatus","callId":"CAb6060fd3146ad2df95550a0bb39d7357c69c0948","accountId":"AC07f210ff31de920b22925763f25083adc8b45a26","from":"+13125550109","to":"+17735550142","callStatus":"completed","callEndedReason":"farEndHangup","direction":"inbound","conferenceId":null,"queueId":null,"callDuration":"37","parentCallId":null}
{"requestType":"callStatus","callId":"CAf963429bc16ed8fdc69ae3478a7fd2e5b73ef673","accountId":"AC07f210ff31de920b22925763f25083adc8b45a26","from":"+17735550142","to":"+14155550187","callStatus":"noAnswer","callEndedReason":"noAnswer","direction":"outboundAPI","conferenceId":null,"queueId":null,"callDuration":"30","parentCallId":null}
{"requestType":"callStatus","callId":"CAf5431c1c33fe0e50a9807b8176f2f448cc309","accountId":"AC07f210ff31de920b22925763f25083adc8b45a26","from":"+17735550142","to":"+16465550123","callStatus":"busy","callEndedReason":"busy","direction":"outboundAPI","conferenceId":null,"queueId":null,"callDuration":"3","parentCallId":null}
{"requestType":"callStatus","callId":"CAe53e08166be688efda66af4f4e42764f678f3e22","accountId":"AC07f210ff31de920b22925763f25083adc8b45a26","from":"+13125550109","to":"+17735550142","callStatus":"completed","callEndedReason":"appHangup","direction":"inbound","conferenceId":null,"queueId":null,"callDuration":"3725","parentCallId":null}
`,
  },
  {
    id: 'bad-ids',
    group: 'broken',
    label: 'Bad ids, non-E.164 from',
    description: 'A callId that is too short, an accountId in upper case with the wrong prefix, and a local phone number.',
    expected: 'invalid',
    text: `{
  "requestType": "callStatus",
  "callId": "CA7e3b1f0c9d2a",
  "accountId": "ACC07F210FF31DE920B22925763F25083ADC8B45A26",
  "from": "(312) 555-0109",
  "to": "+17735550142",
  "callStatus": "completed",
  "callEndedReason": "farEndHangup",
  "direction": "inbound",
  "conferenceId": null,
  "queueId": null,
  "callDuration": "65",
  "parentCallId": null
}
`,
  },
  {
    id: 'syntax-error',
    group: 'broken',
    label: 'JSON syntax error',
    description: 'A trailing comma after the last member, as hand-edited JSON often has.',
    expected: 'invalid',
    text: `{
  "requestType": "callStatus",
  "callId": "CA038d2dec9d3dacf440c071b2cc65a3fe107a8c00",
  "accountId": "AC07f210ff31de920b22925763f25083adc8b45a26",
  "from": "+13125550109",
  "to": "+17735550142",
  "callStatus": "completed",
  "callEndedReason": "farEndHangup",
  "direction": "inbound",
  "conferenceId": null,
  "queueId": null,
  "callDuration": "65",
  "parentCallId": null,
}
`,
  },
  {
    id: 'ringing-duplicate',
    group: 'broken',
    label: 'Non-final "ringing", duplicate key',
    description: 'A status sent before the call ended, and callStatus given twice.',
    expected: 'invalid',
    text: `{
  "requestType": "callStatus",
  "callId": "CA038d2dec9d3dacf440c071b2cc65a3fe107a8c00",
  "accountId": "AC07f210ff31de920b22925763f25083adc8b45a26",
  "from": "+13125550109",
  "to": "+17735550142",
  "callStatus": "ringing",
  "callEndedReason": "farEndHangup",
  "direction": "inbound",
  "conferenceId": null,
  "queueId": null,
  "callDuration": "0",
  "callStatus": "completed",
  "parentCallId": null
}
`,
  },
];
