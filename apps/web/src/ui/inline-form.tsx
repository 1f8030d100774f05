/** A one-field form (create, invite by id) with its own error; extra fields go on a second row. */
import { useState, type ReactNode } from 'react';
import { FieldError } from './feedback.js';
import { useSubmit } from './use-submit.js';

export function InlineForm({ placeholder, submitLabel, onSubmit, testId, pattern, title, children }: {
  placeholder: string;
  submitLabel: string;
  /** Gets the trimmed value; the field is cleared once it resolves. */
  onSubmit: (value: string) => Promise<void>;
  /** Prefix of the `-input`, `-submit` and `-error` test ids. */
  testId: string;
  pattern?: string;
  title?: string;
  children?: ReactNode;
}): ReactNode {
  const [value, setValue] = useState('');
  const submission = useSubmit();
  const submit = submission.onSubmit(async () => {
    if (!value.trim()) return;
    await onSubmit(value.trim());
    setValue('');
  });
  const input = (
    <input data-testid={`${testId}-input`} placeholder={placeholder} value={value} onChange={(event) => setValue(event.target.value)} pattern={pattern} title={title} maxLength={100} />
  );
  const button = (
    <button type="submit" data-testid={`${testId}-submit`} disabled={submission.busy || !value.trim()}>
      {submitLabel}
    </button>
  );
  return (
    <form className={children ? 'inline-form stacked' : 'inline-form'} onSubmit={submit}>
      {children ? (
        <>
          {input}
          <div className="inline-form-row">
            {children}
            {button}
          </div>
        </>
      ) : (
        <div className="inline-form-row">
          {input}
          {button}
        </div>
      )}
      <FieldError error={submission.error} testId={`${testId}-error`} />
    </form>
  );
}
