// Package diff says what changed between two states of an investigation:
// two session files of one case, or one session now and as it was at an
// earlier time (its history). It is pure data, like pivot: entities added
// and removed (with the relation that found them), typed facts changed per
// entity and module, verdicts changed (with the rules that changed), and
// clusters formed, grown, shrunk, split, merged or gone. Facts one side
// could not read are listed apart and never count as a change.
//
// Files:
//   - diff.go: Result and its parts, Compare.
//   - facts.go: the fields compared per module (one table in one comment).
//   - clusters.go: matching clusters by members.
//   - write.go: WriteJSON (the contract), WriteMarkdown (a report with
//     every session string escaped) and WriteText (short sanitised lines).
//   - since.go: ParseSince, the --since argument (an age or a time).
package diff
