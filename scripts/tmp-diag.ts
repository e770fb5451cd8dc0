import { readDirtyWindows, dirtyWindowPlan } from "@/lib/migration/dirty-sampling";
import { benchPrediction } from "./bench/prediction";
