{- `import site` of the reference's own library sites, named by their
   Java classes, gives ours: `Block` never answers (only a pruning ends
   its wait), `Ref` and `ReadJSON` are the usual ones. -}
import site Block = "orc.lib.util.Block"
import site R = "orc.lib.state.Ref"
import site J = "orc.lib.web.ReadJSON"
{| Block() >> "never" | Rwait(10) >> "the block was pruned" |} >x> Println(x) >>
R(5) >r> Println(r?) >>
J("[1, 2]") >j> Println(j) >>
stop

{-
OUTPUT:
the block was pruned
5
[1, 2]
-}
