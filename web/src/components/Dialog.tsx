import { useEffect, useId, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

interface DialogProps {
  title: string;
  open: boolean;
  onClose(): void;
  children: ReactNode;
  /** Extra class on the <dialog> (e.g. "wide"). */
  className?: string;
}

/**
 * A modal dialog on the native <dialog>: focus moves into it and back, Escape closes it, the
 * rest of the page is inert for keyboards and screen readers. Named by its title.
 */
export function Dialog({ title, open, onClose, children, className }: DialogProps) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  if (!open) return null;
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      className={className}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <header>
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="secondary" onClick={onClose} aria-label={t("actions.close")}>
          ×
        </button>
      </header>
      {children}
    </dialog>
  );
}
