import { useTranslation } from "react-i18next";
import { Navigate, NavLink, Route, Routes, useParams } from "react-router-dom";
import { DIRECTORIES, directoryByName } from "./descriptions";
import { DirectoryScreen } from "./DirectoryScreen";
import "./directories.css";

/**
 * «Справочники» (SCH-1): the list of directories on the left, the chosen one on the right, at
 * /admin/directories/<directory> (so a link or a reload opens the same directory).
 */
export default function DirectoriesPage() {
  const { t } = useTranslation("directories");
  return (
    <div className="directories">
      <nav aria-label={t("listLabel")} className="directories-menu">
        <ul>
          {DIRECTORIES.map((directory) => (
            <li key={directory.name}>
              <NavLink to={`/admin/directories/${directory.name}`}>{t(`titles.${directory.title}`)}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="directories-screen">
        <Routes>
          <Route index element={<Navigate to={DIRECTORIES[0]!.name} replace />} />
          <Route path=":directory" element={<ChosenDirectory />} />
        </Routes>
      </div>
    </div>
  );
}

function ChosenDirectory() {
  const { t } = useTranslation();
  const { directory } = useParams();
  const description = directoryByName(directory);
  if (!description) return <p role="alert">{t("notFound")}</p>;
  // keyed: another directory starts with its own search, toggle and dialogs
  return <DirectoryScreen key={description.name} description={description} />;
}
