import { useTranslation } from "react-i18next";
import type { TemplateParameter } from "./data";
import { renderTemplate, smsInfo } from "./sms";

/**
 * The text as a patient would get it, with the API's sample appointment (each parameter's
 * example), and for SMS its size: encoding, length and parts. Updates as one types.
 */
export function TemplatePreview({ template, channel, parameters }: { template: string; channel: "sms" | "email"; parameters: TemplateParameter[] }) {
  const { t } = useTranslation("mailings");
  const sample = Object.fromEntries(parameters.map((p) => [p.name, p.example]));
  const text = renderTemplate(template, sample);
  const info = smsInfo(text);
  return (
    <section className="template-preview" aria-labelledby="template-preview-title">
      <h3 id="template-preview-title">{t("preview.title")}</h3>
      <p className="muted">{t("preview.sample")}</p>
      <figure className="preview-text" aria-label={t("preview.text")}>{text}</figure>
      {channel === "sms" && (
        <p role="status" className="sms-size">
          {t("preview.size", { encoding: info.encoding, length: info.length, characters: info.characters, count: info.segments })}
        </p>
      )}
    </section>
  );
}
