/** The message box: Enter sends, Shift+Enter is a new line; keystrokes drive the typing indicator. */
import { useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';

const MAX_LENGTH = 4000;

export function Composer({ placeholder, onSend, onKeystroke, onStop, disabled }: {
  placeholder: string;
  onSend: (text: string) => unknown;
  onKeystroke: () => void;
  onStop: () => void;
  disabled?: boolean;
}): ReactNode {
  const [text, setText] = useState('');
  const send = (event?: FormEvent) => {
    event?.preventDefault();
    const content = text.trim();
    if (!content) return;
    onSend(content);
    setText('');
    onStop();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };
  return (
    <form className="composer" onSubmit={send}>
      <textarea
        data-testid="message-input"
        rows={1}
        value={text}
        placeholder={placeholder}
        maxLength={MAX_LENGTH}
        disabled={disabled}
        onChange={(event) => {
          setText(event.target.value);
          if (event.target.value) onKeystroke();
          else onStop();
        }}
        onKeyDown={onKeyDown}
        onBlur={onStop}
      />
      <button type="submit" className="primary" data-testid="message-send" disabled={disabled || !text.trim()}>
        Send
      </button>
    </form>
  );
}
