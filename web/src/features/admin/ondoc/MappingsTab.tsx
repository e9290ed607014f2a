import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../api/client";
import { doctorShortName, useDoctors, useServices, useSpecializations } from "../../../api/directories";
import { useUser } from "../../../auth/AuthProvider";
import { Field } from "../../../components/Field";
import { useNotice } from "../../../components/Notice";
import { ApiProblem, toProblem, unwrap } from "../../../lib/problem";
import { ondocKeys, type MappingKind } from "./data";

const KINDS: MappingKind[] = ["doctors", "specializations", "services"];

/** «Сопоставление» of our doctors, specializations and services with ONDOC's items (done by hand, as in the source). */
export function MappingsTab() {
  const { t } = useTranslation("ondoc");
  const user = useUser();
  const notice = useNotice();
  const client = useQueryClient();
  const [kind, setKind] = useState<MappingKind>("doctors");
  const [ourId, setOurId] = useState("");
  const [ondocId, setOndocId] = useState("");
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const doctors = useDoctors();
  const specializations = useSpecializations();
  const services = useServices();
  const ours: { id: string; name: string }[] =
    kind === "doctors"
      ? (doctors.data ?? []).map((d) => ({ id: d.id, name: doctorShortName(d) }))
      : kind === "specializations"
        ? (specializations.data ?? []).map((s) => ({ id: s.id, name: s.name }))
        : (services.data ?? []).map((s) => ({ id: s.id, name: s.name }));
  const nameOf = new Map(ours.map((item) => [item.id, item.name]));
  const mappings = useQuery({
    queryKey: ondocKeys.mappings(kind),
    queryFn: async () => unwrap(await api.GET("/api/ondoc/mappings/{kind}", { params: { path: { kind }, query: { limit: 500 } } })).items,
  });
  const invalidate = () => client.invalidateQueries({ queryKey: ["ondoc", "mappings"] });
  const put = useMutation({
    mutationFn: async () =>
      unwrap(await api.PUT("/api/ondoc/mappings/{kind}/{our_id}", { params: { path: { kind, our_id: ourId } }, body: { ondoc_id: ondocId } })),
    onSuccess: async () => {
      setProblem(null);
      setOndocId("");
      notice(t("mappings.saved"), "ok");
      await invalidate();
    },
    onError: (error) => setProblem(toProblem(error)),
  });
  const remove = useMutation({
    mutationFn: async (id: string) => unwrap(await api.DELETE("/api/ondoc/mappings/{kind}/{our_id}", { params: { path: { kind, our_id: id } } })),
    onSuccess: async () => {
      notice(t("mappings.deleted"), "ok");
      await invalidate();
    },
    onError: (error) => notice(error instanceof ApiProblem ? error.message : String(error), "error"),
  });
  const canEdit = user.can("ondoc.mappings");
  const errors = problem?.fieldErrors() ?? {};
  function submit(event: FormEvent) {
    event.preventDefault();
    put.mutate();
  }
  return (
    <div>
      <h2>{t("mappings.title")}</h2>
      <div className="toolbar">
        <Field label={t("mappings.kind")}>
          <select
            value={kind}
            onChange={(event) => {
              setKind(event.target.value as MappingKind);
              setOurId("");
            }}
          >
            {KINDS.map((k) => (
              <option key={k} value={k}>{t(`kinds.${k}`)}</option>
            ))}
          </select>
        </Field>
      </div>
      {canEdit && (
        <form className="toolbar" onSubmit={submit} aria-label={t("mappings.add")}>
          <Field label={t(`mappings.our.${kind}`)} error={errors.our_id}>
            <select value={ourId} required onChange={(event) => setOurId(event.target.value)}>
              <option value="">{t("choose")}</option>
              {ours.map((item) => (
                <option key={item.id} value={item.id}>{item.name}</option>
              ))}
            </select>
          </Field>
          <Field label={t("mappings.ondocId")} error={errors.ondoc_id}>
            <input value={ondocId} required onChange={(event) => setOndocId(event.target.value)} />
          </Field>
          <button type="submit" disabled={put.isPending}>{t("mappings.map")}</button>
        </form>
      )}
      {problem && !Object.keys(errors).length && <p role="alert" className="field-error">{problem.message}</p>}
      {mappings.isError && <p role="alert">{mappings.error.message}</p>}
      {mappings.data?.length === 0 && <p className="muted">{t("mappings.empty")}</p>}
      {mappings.data && mappings.data.length > 0 && (
        <table className="list">
          <caption className="visually-hidden">{t(`kinds.${kind}`)}</caption>
          <thead>
            <tr>
              <th scope="col">{t(`mappings.our.${kind}`)}</th>
              <th scope="col">{t("mappings.ondocId")}</th>
              <th scope="col">{t("mappings.updatedBy")}</th>
              {canEdit && <th scope="col">{t("actionsColumn")}</th>}
            </tr>
          </thead>
          <tbody>
            {mappings.data.map((m) => (
              <tr key={m.our_id}>
                <th scope="row">{nameOf.get(m.our_id) ?? m.our_id}</th>
                <td>{m.ondoc_id}</td>
                <td>{m.updated_by_username ?? "—"}</td>
                {canEdit && (
                  <td>
                    <button
                      type="button"
                      className="danger"
                      aria-label={t("mappings.deleteOne", { name: nameOf.get(m.our_id) ?? m.our_id })}
                      onClick={() => remove.mutate(m.our_id)}
                    >
                      {t("delete")}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
