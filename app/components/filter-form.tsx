'use client';
// Filters bound to the query string: a GET form (works without JavaScript) whose changes navigate
// client-side at once — selects and checkboxes on change, text after a short pause or Enter — so
// the URL always holds the filters and can be pasted into a ticket.
import Form from 'next/form';
import { useRef, type ReactNode } from 'react';

export function FilterForm({ action, children, label }: { action: string; children: ReactNode; label: string }) {
  const ref = useRef<HTMLFormElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const submit = () => ref.current?.requestSubmit();
  return (
    <Form
      ref={ref}
      action={action}
      replace
      scroll={false}
      className="filters"
      aria-label={label}
      onChange={(e) => {
        const t = e.target as unknown as HTMLInputElement;
        clearTimeout(timer.current);
        if (t.type === 'text' || t.type === 'search') timer.current = setTimeout(submit, 500);
        else submit();
      }}
    >
      {children}
      <noscript>
        <button type="submit">Apply</button>
      </noscript>
    </Form>
  );
}
