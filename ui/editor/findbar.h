#pragma once

#include <QPointer>
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;

namespace Loom::Ui {

class CodeEditor;

struct FindOptions
{
    bool matchCase = false;
    bool wholeWord = false;
    bool regularExpression = false; // ECMAScript syntax (std::regex); \1 in the replacement
};

// Find and replace in one CodeEditor, shown under it. Searches wrap around; Esc hides the bar
// and gives the focus back to the editor.
class FindBar final : public QWidget
{
    Q_OBJECT

public:
    explicit FindBar(QWidget *parent = nullptr);
    ~FindBar() override;
    Q_DISABLE_COPY_MOVE(FindBar)

    void setEditor(CodeEditor *editor);
    CodeEditor *editor() const { return m_editor; }

    QString findText() const;
    void setFindText(const QString &text);
    QString replaceText() const;
    void setReplaceText(const QString &text);
    FindOptions options() const;
    void setOptions(const FindOptions &options);
    // "No matches", "Invalid regular expression", "3 replaced" or empty.
    QString status() const;

    // Shows the bar with the editor's selection (one line of it) as the text to find.
    void activate();
    // Each selects the match it finds; false (and "No matches") when there is none.
    bool findNext();
    bool findPrevious();
    // Replaces the selected match, then selects the next one.
    bool replace();
    // One undo step; returns the number of replacements.
    int replaceAll();

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    bool canSearch();
    bool find(bool forward);
    void dismiss();
    int searchFlags() const;
    void setStatus(const QString &status);

    QPointer<CodeEditor> m_editor;
    QLineEdit *m_find = nullptr;
    QLineEdit *m_replace = nullptr;
    QCheckBox *m_matchCase = nullptr;
    QCheckBox *m_wholeWord = nullptr;
    QCheckBox *m_regularExpression = nullptr;
    QLabel *m_status = nullptr;
};

} // namespace Loom::Ui
