export { default } from "@recurrent/vitest-config";
