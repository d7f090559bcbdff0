//! The documented fields of a callStatus body.

/// A documented callStatus field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Field {
    RequestType,
    CallId,
    AccountId,
    From,
    To,
    CallStatus,
    CallEndedReason,
    Direction,
    ConferenceId,
    QueueId,
    CallDuration,
    RecordingUrl,
    RecordingId,
    RecordingDurationSec,
    ParentCallId,
}

pub(crate) const FIELD_COUNT: usize = 15;

impl Field {
    /// Every field, in the order of FreeClimb's reference.
    pub const ALL: [Field; FIELD_COUNT] = [
        Field::RequestType,
        Field::CallId,
        Field::AccountId,
        Field::From,
        Field::To,
        Field::CallStatus,
        Field::CallEndedReason,
        Field::Direction,
        Field::ConferenceId,
        Field::QueueId,
        Field::CallDuration,
        Field::RecordingUrl,
        Field::RecordingId,
        Field::RecordingDurationSec,
        Field::ParentCallId,
    ];

    /// The key as sent on the wire.
    pub fn key(self) -> &'static str {
        match self {
            Field::RequestType => "requestType",
            Field::CallId => "callId",
            Field::AccountId => "accountId",
            Field::From => "from",
            Field::To => "to",
            Field::CallStatus => "callStatus",
            Field::CallEndedReason => "callEndedReason",
            Field::Direction => "direction",
            Field::ConferenceId => "conferenceId",
            Field::QueueId => "queueId",
            Field::CallDuration => "callDuration",
            Field::RecordingUrl => "recordingUrl",
            Field::RecordingId => "recordingId",
            Field::RecordingDurationSec => "recordingDurationSec",
            Field::ParentCallId => "parentCallId",
        }
    }

    /// The JSON Pointer of the field in the body.
    pub fn pointer(self) -> &'static str {
        match self {
            Field::RequestType => "/requestType",
            Field::CallId => "/callId",
            Field::AccountId => "/accountId",
            Field::From => "/from",
            Field::To => "/to",
            Field::CallStatus => "/callStatus",
            Field::CallEndedReason => "/callEndedReason",
            Field::Direction => "/direction",
            Field::ConferenceId => "/conferenceId",
            Field::QueueId => "/queueId",
            Field::CallDuration => "/callDuration",
            Field::RecordingUrl => "/recordingUrl",
            Field::RecordingId => "/recordingId",
            Field::RecordingDurationSec => "/recordingDurationSec",
            Field::ParentCallId => "/parentCallId",
        }
    }

    pub fn from_key(key: &str) -> Option<Field> {
        let field = match key {
            "requestType" => Field::RequestType,
            "callId" => Field::CallId,
            "accountId" => Field::AccountId,
            "from" => Field::From,
            "to" => Field::To,
            "callStatus" => Field::CallStatus,
            "callEndedReason" => Field::CallEndedReason,
            "direction" => Field::Direction,
            "conferenceId" => Field::ConferenceId,
            "queueId" => Field::QueueId,
            "callDuration" => Field::CallDuration,
            "recordingUrl" => Field::RecordingUrl,
            "recordingId" => Field::RecordingId,
            "recordingDurationSec" => Field::RecordingDurationSec,
            "parentCallId" => Field::ParentCallId,
            _ => return None,
        };
        Some(field)
    }

    pub fn index(self) -> usize {
        self as usize
    }
}
