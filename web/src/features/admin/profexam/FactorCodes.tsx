import { useHarmfulFactors } from "./data";

/** The dictionary's codes offered while typing a «Код из справочника» (an input names it with `list`). */
export function FactorCodes({ id }: { id: string }) {
  const factors = useHarmfulFactors();
  return (
    <datalist id={id}>
      {(factors.data?.items ?? []).map((factor) => (
        <option key={factor.code} value={factor.code}>
          {factor.title.length > 90 ? `${factor.title.slice(0, 90)}…` : factor.title}
        </option>
      ))}
    </datalist>
  );
}
