import { useId, useState } from "react";
import { useTranslation } from "react-i18next";

/** The source program's «?» button: shows (and hides) a hint under it; `start` opens it rightwards. */
export function Help({ text, about, start }: { text: string; about: string; start?: boolean }) {
  const { t } = useTranslation("profexam");
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <span className={start ? "pe-help pe-help-start" : "pe-help"}>
      <button
        type="button"
        className="secondary pe-help-button"
        aria-expanded={open}
        aria-controls={id}
        aria-label={t("help.button", { about })}
        onClick={() => setOpen((shown) => !shown)}
      >
        ?
      </button>
      <span id={id} role="note" hidden={!open} className="pe-help-text">
        {text}
      </span>
    </span>
  );
}
