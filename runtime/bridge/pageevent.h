#pragma once

#include "runtime/result.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <string_view>

namespace Loom::Runtime {

// The <script> element an event is about, as the page saw it.
struct ScriptRef
{
    QString id;
    QString src;
    QString type;
    QString name;
    QString config;
    int index = -1; // position in document.scripts
};

// One event from the page bridge (resources/bridge/instrument.js), validated.
struct PageEvent
{
    enum class Kind {
        Page,              // isolated, sab
        MainReady,         // a main-thread interpreter is ready: script
        MainRun,           // a main script starts: script
        WorkerCreated,     // worker, script
        WorkerInterpreter, // worker's interpreter is up: type
        WorkerExport,      // worker, name
        WorkerReady,       // xworker.ready resolved: exports registered, usable
        WorkerFailed,      // xworker.ready rejected: text
        WorkerError,       // an error event: text
        WorkerStopped,     // terminate()
        CallStart,         // worker, callId, name, args
        CallEnd,           // worker, callId, name, ok, text (result or error), ms, mainMs
        Stdout,            // worker or thread, text
        Stderr,
        Responsiveness, // lag, longTasks, longestTask
    };
    Kind kind = Kind::Page;
    double t = 0;   // page clock: ms since the epoch
    int worker = 0; // 1.. for worker events; 0 for the main thread
    QString thread; // main-thread io: "main:py" or "main:mpy"
    QString name;   // function or export name
    QString text;
    QStringList args;
    int callId = 0;
    bool ok = false;
    double ms = -1;     // inside the worker
    double mainMs = -1; // seen from the main thread
    ScriptRef script;
    QString type;
    bool isolated = false;
    bool sharedArrayBuffer = false;
    int lag = 0;
    int longTasks = 0;
    int longestTask = 0;

    // About what the event holds in memory (its strings as UTF-16, and the struct): what Loom's
    // byte bounds count.
    qsizetype approxBytes() const;
};

struct EventBatch
{
    QList<PageEvent> events;
    QString id;            // the page's name for this batch; a batch sent again has the same id
    int rejected = 0;      // malformed or unknown events, dropped here
    int droppedByPage = 0; // what the page's own bounded queue dropped
    bool last = false;     // the page's last batch of a run: every batch before it was answered
};

// Limits on what the page may send; anything beyond is dropped and counted.
struct EventLimits
{
    static constexpr qsizetype MaxEventsPerBatch = 15000;
    static constexpr qsizetype MaxText = 64 * 1024;
    static constexpr qsizetype MaxArgs = 32;
    static constexpr int MaxWorkerId = 100000;
    // A page drops what its queue cannot hold between two flushes (50 ms): a tight loop of
    // prints drops tens of thousands; a million in one batch is a forged count.
    static constexpr int MaxDroppedPerBatch = 1'000'000;
    static constexpr qsizetype MaxBatchId = 64;
    // A records event names up to this many exports, each of up to MaxExportName characters
    // (instrument.js writes a call of numbers with its name inline past them).
    static constexpr qsizetype MaxExportNames = 256;
    static constexpr qsizetype MaxExportName = 128;
};

// The value of "k" for each kind, in Kind's order: the kinds resources/bridge/events.schema.json
// (the wire format's one definition) lists, as tst_pageevent checks.
QStringList pageEventKindNames();

// Parses one POSTed batch. The page is untrusted: a batch that is not a JSON object with an
// "events" list is an error; each malformed event inside is dropped and counted, never thrown.
// `records`: what a worker held in a burst, as the records of its log (instrument.js, decodeLog):
// each {"k": "records", "w": W, "o": O, "b": B, "fns": [...]} of the events stands for the next
// B bytes of them, of worker W, whose clock starts at O, whose exports by index are fns. Their
// bytes must add up to the records' size exactly.
Result<EventBatch> parseEventBatch(std::string_view json, std::string_view records = {});

// A batch with records travels as this media type: its JSON, a newline, then the records.
inline constexpr std::string_view RecordBatchType = "application/x-loom-batch";
Result<EventBatch> parseRecordBatch(std::string_view body);

// What JavaScript's String(number) gives: a number in a record is previewed as the page would.
QString javaScriptNumberText(double value);

} // namespace Loom::Runtime
