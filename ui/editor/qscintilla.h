#pragma once

// Every QScintilla header Loom uses, included here only: QScintilla declares its signals and
// slots with Qt's bare keywords, which Loom's build turns off (QT_NO_KEYWORDS). They are defined
// for these headers and removed again.
#include <QObject>

#ifndef signals
#define LOOM_QSCI_DEFINED_SIGNALS
#define signals Q_SIGNALS
#endif
#ifndef slots
#define LOOM_QSCI_DEFINED_SLOTS
#define slots Q_SLOTS
#endif

#include <Qsci/qscidocument.h>
#include <Qsci/qscilexer.h>
#include <Qsci/qscilexercss.h>
#include <Qsci/qscilexerhtml.h>
#include <Qsci/qscilexerjson.h>
#include <Qsci/qscilexerproperties.h>
#include <Qsci/qscilexerpython.h>
#include <Qsci/qsciscintilla.h>
#include <Qsci/qsciscintillabase.h>

#ifdef LOOM_QSCI_DEFINED_SIGNALS
#undef signals
#undef LOOM_QSCI_DEFINED_SIGNALS
#endif
#ifdef LOOM_QSCI_DEFINED_SLOTS
#undef slots
#undef LOOM_QSCI_DEFINED_SLOTS
#endif
